package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus (src/test/resources/bad, described in its EXPECTED file): each broken
 * scenario gives exit status 2 and exactly one line on stderr, naming the file and, where the
 * file has one, the line and column, with no stack trace and no output on stdout.
 */
class BadInputTest {
    private static final Path DIR = Path.of("src/test/resources/bad");

    record Case(String file, String location, String fragment) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Case> corpus() throws IOException {
        return Files.readAllLines(DIR.resolve("EXPECTED"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t", 3))
                .map(p -> new Case(p[0], p[1], p[2]))
                .toList();
    }

    @Test
    void theCorpusIsLargeAndEveryFileInItIsListed() throws IOException {
        List<String> listed = corpus().stream().map(Case::file).toList();
        try (Stream<Path> files = Files.list(DIR)) {
            List<String> onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).toList();
            assertThat(listed).containsExactlyInAnyOrderElementsOf(onDisk);
        }
        assertThat(listed).hasSizeGreaterThanOrEqualTo(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aBrokenScenarioGivesOneLineNamingItsPositionAndExitStatus2(Case c) {
        String file = DIR.resolve(c.file()).toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"run", file}, new PrintWriter(out, true), new PrintWriter(err, true), false);

        assertThat(status).isEqualTo(Main.BAD_INPUT);
        assertThat(out.toString()).isEmpty();
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(1);
        String line = lines.get(0);
        String prefix = c.location().equals("-") ? file + ": " : file + ":" + c.location() + ": ";
        assertThat(line).startsWith(prefix).contains(c.fragment());
        assertThat(line).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
