package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real process: exit statuses as the shell sees them, and no stack trace on stderr. */
class MainProcessTest {
    static Process start(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The controlled engine's coroutines need the export ./mmemu gives the JVM.
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1",
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void badInputAndHeldExpectationsGiveTheirExitStatuses() throws Exception {
        Process bad = start("run", "src/test/resources/bad/java-type-tag.yaml");
        String err = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bad.waitFor()).isEqualTo(2);
        assertThat(err.strip()).startsWith("src/test/resources/bad/java-type-tag.yaml:1:7: YAML type tags")
                .doesNotContain("\n");

        Process good = start("run", "../mm-scenario/src/test/resources/good/get-from-zero.yaml");
        String out = new String(good.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(good.waitFor()).isZero();
        assertThat(out).contains("expect [double-free]: holds");
    }
}
