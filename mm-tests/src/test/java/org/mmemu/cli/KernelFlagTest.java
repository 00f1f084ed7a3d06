package org.mmemu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.cli.MainTest.mmemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mmemu.cli.MainTest.Result;
import org.mmemu.core.KernelProfile;
import org.mmemu.core.page.VmStat;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.AlwaysLockProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.Kernels;
import org.mmemu.scenario.run.KernelProtocols;

/**
 * {@code --kernel V} and {@code machine: kernel:} (issue 23): the machine runs at V's profile, the
 * protocol is V's own unless {@code --protocol} names another, and what cannot be composed
 * faithfully is exit 2 with the reason. Each test fails on the command line before the option.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KernelFlagTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The output less the first line and the search line (both carry wall times). */
    private static String body(Result r) {
        String text = r.out();
        return text.substring(text.indexOf('\n') + 1).replaceAll("(?m)^search: .*\n", "");
    }

    @Test
    void theSeedRaceOnKernel2533IsProtocol2533TraceForTrace(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("kernel.json");
        Path b = tmp.resolve("protocol.json");
        Result byKernel = mmemu("explore", "seed-race", "--kernel", "2.5.33", "--threads", "1",
                "--json", a.toString());
        Result byProtocol = mmemu("explore", "seed-race", "--protocol", "2.5.33", "--threads", "1",
                "--json", b.toString());
        assertThat(byKernel.status()).as(byKernel.err()).isEqualTo(byProtocol.status()).isEqualTo(Main.HELD);
        assertThat(byKernel.out()).startsWith("seed-race [2.5.33, ");
        assertThat(body(byKernel)).isEqualTo(body(byProtocol)).contains("BUG: ");
        JsonNode ka = JSON.readTree(a.toFile());
        JsonNode pb = JSON.readTree(b.toFile());
        assertThat(ka.get("trace")).isEqualTo(pb.get("trace"));
        assertThat(ka.get("trace").size()).isPositive();
        assertThat(ka.get("schedules")).isEqualTo(pb.get("schedules"));
        // one explorer thread: the first execution's /proc/vmstat counters, the same too
        assertThat(ka.get("vmstat")).isEqualTo(pb.get("vmstat"));
        assertThat(ka.get("vmstat").get("pgfree").asLong()).isPositive();

        // and the replay of the schedule that found it, row for row
        String schedule = ka.get("findings").get(0).get("schedule").asText();
        assertThat(schedule).isNotBlank();
        Result rk = mmemu("replay", "seed-race", "--kernel", "2.5.33", "--schedule", schedule);
        Result rp = mmemu("replay", "seed-race", "--protocol", "2.5.33", "--schedule", schedule);
        assertThat(rk.status()).as(rk.err()).isEqualTo(rp.status());
        assertThat(body(rk)).isEqualTo(body(rp)).contains("BUG: ");
    }

    @Test
    void kernel267RunsTestoneInPlaceOfTheFilesProtocol() {
        Result r = mmemu("explore", "seed-race", "--kernel", "2.6.7");
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.HELD);
        assertThat(r.out()).startsWith("seed-race [testone, ").contains("no findings");
    }

    @Test
    void kernel267WithAlwaysLockRunsAlwaysLockOn267sProfile() {
        Result r = mmemu("explore", "seed-race", "--kernel", "2.6.7", "--protocol", "always-lock");
        assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Main.HELD);
        assertThat(r.out()).startsWith("seed-race [always-lock@2.6.7, ").contains("no findings");

        LruProtocol p = KernelProtocols.resolve(ProtocolRegistry.onClassPath(), "always-lock@2.6.7");
        assertThat(p.profile()).isEqualTo(KernelProfile.V2_6_7);
        assertThat(p.name()).isEqualTo("always-lock");
        assertThat(p.biasedCount()).isFalse(); // always-lock's own count, not testone's bias
        assertThat(new AlwaysLockProtocol().profile()).isEqualTo(KernelProfile.V2_5_31_MM1);
    }

    @Test
    void theZoneLockKernelsRunTheZoneLockPathsWithTheirOwnProfile() {
        ProtocolRegistry reg = ProtocolRegistry.onClassPath();
        for (String v : new String[] {"2.5.32", "2.5.39", "2.6.0", "2.6.6"}) {
            Kernels.Kernel k = Kernels.byName(v);
            String name = KernelProtocols.name(reg, k, null);
            assertThat(name).isEqualTo("2.5.33@" + v);
            LruProtocol p = KernelProtocols.resolve(reg, name);
            assertThat(p.profile()).as(v).isEqualTo(KernelProfile.of(v));
            assertThat(p.version()).isEqualTo(v);
        }
        // 2.6.6 plus the fix: testone's release statements read 2.6.7's choices, which are 2.6.6's
        // but for put_page_testzero's debug load, which the fix's biased count makes itself
        KernelProfile k266 = KernelProfile.of("2.6.6").withPutPageTestzeroBugOn(false);
        KernelProfile k267 = KernelProfile.V2_6_7;
        assertThat(KernelProfile.of("2.6.6").putPageTestzeroBugOn()).isTrue();
        assertThat(k266.pageCacheReleaseBugOn()).isEqualTo(k267.pageCacheReleaseBugOn());
        assertThat(k266.putPageTestzeroBugOn()).isEqualTo(k267.putPageTestzeroBugOn());
        assertThat(k266.relockAfterFree()).isEqualTo(k267.relockAfterFree());
        assertThat(k266.refillSkipsZeroCount()).isEqualTo(k267.refillSkipsZeroCount());
        LruProtocol fixed = KernelProtocols.resolve(reg,
                KernelProtocols.name(reg, Kernels.byName("2.6.6+page-freeing-race-fix"), null));
        assertThat(fixed.name()).isEqualTo("testone");
        assertThat(fixed.biasedCount()).isTrue();
        assertThat(fixed.profile()).isEqualTo(k266);
        // the own protocol on its own kernel keeps its plain name (the same program as --protocol)
        assertThat(KernelProtocols.name(reg, Kernels.byName("2.5.31-mm1"), null)).isEqualTo("mm1");
        assertThat(KernelProtocols.name(reg, Kernels.byName("bk-18aug"), null)).isEqualTo("pre-fix");
        assertThat(KernelProtocols.name(reg, Kernels.byName("2.6.16"), null)).isEqualTo("unless-zero");
        assertThat(KernelProtocols.name(reg, Kernels.byName("2.5.31-mm1"), "always-lock")).isEqualTo("always-lock");
    }

    @Test
    void theSeedRaceOn266WithAndWithoutTheFix() {
        Result racy = mmemu("explore", "seed-race", "--kernel", "2.6.6");
        assertThat(racy.out()).startsWith("seed-race [2.5.33@2.6.6, ").contains("BUG: ");
        Result fixed = mmemu("explore", "seed-race", "--kernel", "2.6.6+page-freeing-race-fix");
        assertThat(fixed.status()).as(fixed.out() + fixed.err()).isEqualTo(Main.HELD);
        assertThat(fixed.out()).startsWith("seed-race [testone@2.6.6+page-freeing-race-fix, ").contains("no findings");
        Result unfixed = mmemu("explore", "seed-race", "--kernel", "2.6.7-page-freeing-race-fix");
        assertThat(unfixed.out()).startsWith("seed-race [2.5.33@2.6.7-page-freeing-race-fix, ").contains("BUG: ");
    }

    @Test
    void aKernelInTheFileRunsItsOwnProtocolAndTheCommandLineWins(@TempDir Path tmp) throws IOException {
        String seed = new String(org.mmemu.scenario.Shipped.text("seed-race").orElseThrow(), StandardCharsets.UTF_8);
        Path f = tmp.resolve("seed-267.yaml");
        Files.writeString(f, seed.replaceFirst("(?m)^  protocol: mm1.*$", "  kernel: 2.6.7"));
        Result r = mmemu("explore", f.toString());
        assertThat(r.out()).as(r.err()).startsWith("seed-race [testone, ");
        Result r2 = mmemu("explore", f.toString(), "--kernel", "2.5.31-mm1");
        assertThat(r2.out()).as(r2.err()).startsWith("seed-race [mm1, ");
        Result r3 = mmemu("explore", f.toString(), "--protocol", "count-one");
        assertThat(r3.out()).as(r3.err()).startsWith("seed-race [count-one@2.6.7, ");
        Result bad = mmemu("explore", f.toString(), "--protocol", "mm1");
        assertThat(bad.status()).isEqualTo(Main.BAD_INPUT);
        assertThat(bad.err().lines().toList()).hasSize(1);
    }

    @Test
    void kswapdPressureOn2533And267GiveDifferentVmstats(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a.json");
        Path b = tmp.resolve("b.json");
        Result ra = mmemu("run", "kswapd-pressure", "--kernel", "2.5.33", "--json", a.toString());
        Result rb = mmemu("run", "kswapd-pressure", "--kernel", "2.6.7", "--json", b.toString());
        assertThat(ra.err()).isEmpty();
        assertThat(rb.err()).isEmpty();
        Map<String, Long> va = vmstat(JSON.readTree(a.toFile()));
        Map<String, Long> vb = vmstat(JSON.readTree(b.toFile()));
        java.util.List<String> names = java.util.Arrays.stream(VmStat.Item.values()).map(Enum::name).toList();
        assertThat(va.keySet()).containsExactlyElementsOf(names);
        assertThat(vb.keySet()).containsExactlyElementsOf(names);
        assertThat(va).isNotEqualTo(vb);
        assertThat(va.get("pgalloc")).isPositive();
        // 2.5.33's try_to_free_pages counts a pageoutrun; 2.6.7's only balance_pgdat does
        // (KswapdPressureVersionsTest), and kswapd has not run a round in one execution here
        assertThat(va.get("pageoutrun")).isNotEqualTo(vb.get("pageoutrun"));
    }

    private static Map<String, Long> vmstat(JsonNode report) {
        JsonNode v = report.get("vmstat");
        assertThat(v).as(report.toString()).isNotNull();
        Map<String, Long> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            m.put(e.getKey(), e.getValue().asLong());
        }
        return m;
    }

    @Test
    void kernelsListsEveryVersionAndComposition() {
        Result r = mmemu("kernels");
        assertThat(r.status()).isEqualTo(Main.HELD);
        for (String v : new String[] {"2.5.31", "2.5.31-mm1", "2.5.31-bk", "2.5.32", "2.5.33", "2.5.39", "2.6.0",
                "2.6.6", "2.6.7", "2.6.16", "2.6.6+page-freeing-race-fix", "2.6.7-page-freeing-race-fix"}) {
            assertThat(r.out().lines()).as(v).anyMatch(l -> l.startsWith(v + " "));
        }
        assertThat(r.out()).contains("bk-18aug").contains("testone").contains("unless-zero").contains("pre-fix");
        assertThat(mmemu("protocols").status()).isEqualTo(Main.HELD);
    }
}
