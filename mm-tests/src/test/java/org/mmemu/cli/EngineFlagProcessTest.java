package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A JVM started without the controlled engine's flag: one line naming it, no stack trace. */
class EngineFlagProcessTest {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void withoutTheExportTheCommandSaysWhichFlagInOneLine() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // no --add-exports here, unlike ./mmemu and surefire's argLine
        Process p = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "explore", "seed-race")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(3);
        assertThat(err.strip()).isEqualTo("mmemu: the controlled engine needs the JVM flag "
                + "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED");
        assertThat(out).doesNotContain("schedules");
    }
}
