package org.mmemu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench scale}: its command line, and the JSON keys of a tiny run; no figure is asserted. */
class ScaleBenchTest {
    @Test
    void rejectsBadArgumentsWithStatus2() {
        assertThat(run("--sizes", "12")).startsWith("2:").contains("at least 4096 pages, not 12");
        assertThat(run("--sizes", "x")).startsWith("2:").contains("--sizes takes positive whole numbers, not 'x'");
        assertThat(run("--json")).startsWith("2:").contains("--json needs a value");
        assertThat(run("--bogus")).startsWith("2:").contains("unknown argument '--bogus'");
    }

    @Test
    void aTinyRunWritesEveryKeyTheIssueNames(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("scale.json");
        String out = run("--sizes", "4096,8192", "--boots", "1", "--slices", "4", "--no-kswapd", "--json", json.toString());
        assertThat(out).startsWith("0:").contains("| 4 Ki |").contains("| 8 Ki |").contains("bytesPerPage");
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("referencePages").asInt()).isEqualTo(8192);
        for (String key : new String[] {"bytesPerPage", "scanRatio", "releaseRatio"}) {
            assertThat(root.get(key).asDouble()).as(key).isPositive();
        }
        assertThat(root.get("perPageScanNanos").fieldNames()).toIterable().containsExactly("4096", "8192");
        // every page cached was refilled and then scanned, without a finding
        JsonNode scan = root.get("sizes").get(1).get("scan");
        assertThat(scan.get("refilled").asLong()).isEqualTo(scan.get("cached").asLong());
        assertThat(scan.get("scanned").asLong()).isGreaterThanOrEqualTo(scan.get("cached").asLong());
        assertThat(scan.get("findings").asInt()).isZero();
    }

    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = BenchMain.run(prepend(args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return status + ":" + bytes.toString(StandardCharsets.UTF_8);
    }

    private static String[] prepend(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "scale";
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }
}
