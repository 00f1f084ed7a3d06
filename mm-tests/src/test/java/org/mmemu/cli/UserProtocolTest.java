package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.SeedRaceExpectation;
import org.mmemu.lru.protocol.ForwardingLruProtocol;
import org.mmemu.lru.protocol.PreFixProtocol;

/**
 * A protocol from outside mmemu's class path, added with {@code --classpath} or
 * {@code MMEMU_CLASSPATH}: listed, usable by name, given a verdict. The protocol class is on the
 * test class path, but only the added directory's services file names it, so only a loader over
 * that directory finds it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UserProtocolTest {
    @TempDir
    Path dir;

    /** pre-fix under another name, with its own declared expectation. */
    public static final class Renamed extends ForwardingLruProtocol {
        public Renamed() {
            super(new PreFixProtocol());
        }

        @Override
        public String name() {
            return "renamed-pre-fix";
        }

        @Override
        public String origin() {
            return "a user's copy of pre-fix";
        }

        @Override
        public String version() {
            return "2.5.31";
        }

        @Override
        public SeedRaceExpectation expectedOnSeedRace() {
            return SeedRaceExpectation.doubleFree("double free, as pre-fix");
        }
    }

    private Path jarDir() throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(LruProtocol.class.getName()), Renamed.class.getName() + "\n");
        return dir;
    }

    static MainTest.Result mmemu(String classpathEnv, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), false, classpathEnv);
        return new MainTest.Result(status, out.toString(), err.toString());
    }

    @Test
    void anAddedProtocolIsListedWithWhatItDeclares() throws IOException {
        MainTest.Result r = mmemu(null, "--classpath", jarDir().toString(), "protocols");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("renamed-pre-fix", "a user's copy of pre-fix", "double free, as pre-fix")
                .contains("unless-zero");
        assertThat(mmemu(null, "protocols").out()).doesNotContain("renamed-pre-fix");
        MainTest.Result after = mmemu(null, "protocols", "--classpath", jarDir().toString());
        assertThat(after.out()).as(after.err()).contains("renamed-pre-fix");
    }

    @Test
    void anAddedProtocolGetsAVerdictOnTheSeedRaceFromTheEnvironmentToo() throws IOException {
        // seed-race's expect: map does not name it, so its default ([]) judges it, under explore
        // and demo alike (issue 25 item 5: demo printed "[] FAILS" and exited 0); demo says what
        // the protocol declares and how to judge it by that instead.
        MainTest.Result r = mmemu(jarDir().toString(), "demo", "--protocol", "renamed-pre-fix");
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.NOT_HELD);
        assertThat(r.out()).contains("renamed-pre-fix").contains("double-free").contains("[] FAILS")
                .contains("renamed-pre-fix declares a double free");
        MainTest.Result e = mmemu(jarDir().toString(), "explore", "seed-race", "--protocol", "renamed-pre-fix");
        assertThat(e.status()).as(e.out() + e.err()).isEqualTo(r.status());
    }

    @Test
    void withoutItsJarTheNameIsUnknownAndAMissingJarIsBadInput() throws IOException {
        MainTest.Result unknown = mmemu(null, "explore", "seed-race", "--protocol", "renamed-pre-fix");
        assertThat(unknown.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(unknown.err()).contains("unknown protocol 'renamed-pre-fix'");
        MainTest.Result missing = mmemu(null, "--classpath", dir.resolve("nope.jar").toString(), "protocols");
        assertThat(missing.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(missing.err()).contains("--classpath: no such jar or directory").doesNotContain("Exception")
                .hasLineCount(1);
    }

    @Test
    void aFileThatIsNoJarNorDirectoryIsBadInputInOneLine() throws IOException {
        Path text = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        MainTest.Result r = mmemu(null, "--classpath", text.toString(), "protocols");
        assertThat(r.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("--classpath: not a jar or directory: " + text).doesNotContain("Exception")
                .hasLineCount(1);
        assertThat(r.out()).isEmpty();
        MainTest.Result env = mmemu(text.toString(), "protocols");
        assertThat(env.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(env.err()).contains("MMEMU_CLASSPATH: not a jar or directory").hasLineCount(1);
    }
}
