package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Issue 11, item 11: bench scale's JSON gives the heap per page with every page materialised, and
 * at boot. It reads the used heap after {@code System.gc()}, which counts every live object of the
 * JVM: with another test class running beside it (mm-tests runs two at a time) that class's live
 * data came and went between the readings, once making boot's figure 1,038 bytes a page and the
 * check fail. So it runs alone.
 */
@Isolated("reads the JVM's used heap")
class BenchScaleHeapTest {
    @TempDir
    Path tmp;

    @Test
    void benchScaleReportsTheHeapPerMaterialisedPage() throws IOException {
        Path json = tmp.resolve("scale.json");
        MainTest.Result r = MainTest.mmemu("bench", "scale", "--sizes", "4096", "--boots", "1", "--slices", "2",
                "--no-kswapd", "--json", json.toString());
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        double all = root.get("bytesPerPage").asDouble();
        double boot = root.get("bytesPerPageAtBoot").asDouble();
        // a Page object is tens of bytes: every page materialised costs more than boot's bitmaps
        assertThat(all).isGreaterThan(boot + 16);
    }
}
