package org.mmemu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mmemu bench scale [--json FILE] [--sizes N,N,...] [--boots N] [--slices N] [--no-kswapd]}:
 * a machine of the era's size, in one table. Per size (default 64 Ki, 1 Mi and 4 Mi pages):
 * boot time and heap per page ({@link HeapScale}), reclaim's cost per page against plain Java
 * doing the same memory work ({@link ScanScale}, {@link BareScan}), a release's cost against a
 * bare atomic decrement and against a step hook that does nothing ({@link ReleaseScale}); then
 * the {@code kswapd-pressure} mix at 1 Mi pages ({@link KswapdScaled}).
 *
 * <p>JSON keys: {@code bytesPerPage} (every page materialised), {@code bytesPerPageAtBoot} and
 * {@code scanRatio} at 1 Mi pages (or the largest size
 * asked below it), {@code releaseRatio} at the same size, {@code perPageScanNanos} keyed by page
 * count, and the rows in full under {@code sizes} and {@code kswapdPressure}.
 */
public final class ScaleBench {
    static final int MI = 1 << 20;

    /** {@code bench scale --help}. */
    static final String USAGE = """
            Usage: mmemu bench scale [--json FILE] [--sizes N,N,...] [--boots N] [--slices N] [--no-kswapd]
            Full-size machines: boot time and heap per page (at boot, and with every page
            materialised), reclaim's and a release's cost per page against plain Java, then the
            kswapd-pressure mix at 1 Mi pages (docs/BENCHMARKS.md "Full-size machines").
                  --json FILE     also write the figures as JSON to FILE (checked before the run)
                  --sizes N,N,... machine sizes in pages, each at least 4096 (default 65536,1048576,4194304)
                  --boots N       boots per size for the heap figures (default 5)
                  --slices N      alternating timed slices of the release figures (default 40)
                  --no-kswapd     leave out the kswapd-pressure mix
              -h, --help          Show this help message and exit.
            Exit status: 0 the figures were made, 2 bad input (an option, a path).
            """;

    private ScaleBench() {
    }

    /** The parsed command line. */
    record Config(List<Integer> sizes, Path json, int boots, int slices, boolean kswapd) {
        static Config parse(String[] args) {
            List<Integer> sizes = List.of(64 * 1024, MI, 4 * MI);
            Path json = null;
            int boots = 5;
            int slices = 40;
            boolean kswapd = true;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--json" -> json = Path.of(BenchArgs.value(args, ++i, a));
                    case "--sizes" -> {
                        List<Integer> s = new ArrayList<>();
                        for (String x : BenchArgs.value(args, ++i, a).split(",")) {
                            s.add(BenchArgs.atLeast(x, a, 1));
                        }
                        sizes = List.copyOf(s);
                    }
                    case "--boots" -> boots = BenchArgs.atLeast(BenchArgs.value(args, ++i, a), a, 1);
                    case "--slices" -> slices = BenchArgs.atLeast(BenchArgs.value(args, ++i, a), a, 1);
                    case "--no-kswapd" -> kswapd = false;
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "' (scale takes --json FILE,"
                            + " --sizes N,N,..., --boots N, --slices N, --no-kswapd)");
                }
            }
            for (int s : sizes) {
                if (s < 4096) {
                    throw new IllegalArgumentException("--sizes: a machine needs at least 4096 pages, not " + s);
                }
            }
            // checked now: a folder or a missing directory must not wait for the end of a long run
            BenchArgs.output(json, "--json");
            return new Config(sizes, json, boots, slices, kswapd);
        }
    }

    /** One size's row. */
    record Row(int pages, HeapScale.Result heap, ScanScale.Result scan, ReleaseScale.Result release) {
    }

    /** Runs what {@code args} ask, prints to {@code out}, returns the exit status. */
    public static int run(String[] args, PrintStream out) {
        Config c;
        try {
            c = Config.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("mmemu bench scale: " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "# mmemu bench scale: java %s, %d processors, max heap %d MiB, GC %s%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, gcName());
        out.flush();
        // Warm-up: the code the figures time is compiled before any of them starts.
        int warm = Math.min(64 * 1024, c.sizes.get(0));
        ScanScale.run(warm);
        ReleaseScale.run(warm, Math.max(4, c.slices / 4));

        List<Row> rows = new ArrayList<>();
        for (int pages : c.sizes) {
            HeapScale.Result heap = HeapScale.run(pages, c.boots);
            ScanScale.Result scan = ScanScale.run(pages);
            ReleaseScale.Result rel = ReleaseScale.run(pages, c.slices);
            Row row = new Row(pages, heap, scan, rel);
            rows.add(row);
            out.println("  " + line(row));
            out.flush();
        }
        out.println();
        out.println(table(rows));
        KswapdScaled.Result k = null;
        if (c.kswapd) {
            k = KswapdScaled.run(MI, out);
            out.println(kswapdTable(k));
        }
        out.println(verdicts(rows));
        if (c.json != null) {
            try {
                Files.writeString(c.json, json(rows, k));
            } catch (IOException e) {
                out.println("mmemu bench scale: cannot write " + c.json + ": " + e.getMessage());
                return 2;
            }
            out.println("JSON: " + c.json);
        }
        return 0;
    }

    private static String gcName() {
        List<String> names = new ArrayList<>();
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().forEach(b -> names.add(b.getName()));
        return String.join(" + ", names);
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "%d pages: boot %.0f ms, %.1f B/page (%.1f at boot); scan %.0f ns/page (bare %.0f, x%.2f);"
                        + " release %.1f ns (bare %.1f, x%.2f; no hook %.1f)", r.pages, r.heap.bootMillis(),
                r.heap.bytesPerPage(), r.heap.bytesPerPageAtBoot(), r.scan.perPageNanos(), r.scan.barePerPageNanos(), r.scan.ratio(),
                r.release.emulatedNanos(), r.release.bareNanos(), r.release.ratio(), r.release.noHookNanos());
    }

    /** The table: one row a size. */
    static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder("| pages | boot (ms) | heap (B/page) | heap at boot (B/page) | refill ns/page (bare) | shrink ns/page (bare)"
                + " | scan ns/page | bare ns/page | scan ratio | release ns/op | bare decrement ns/op | release ratio"
                + " | release, no step hook ns/op |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            ScanScale.Result s = r.scan;
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %.0f (%.0f) | %.0f (%.0f) | %.0f | %.0f | %.2f | %.1f | %.1f | %.2f | %.1f |%n",
                    size(r.pages), r.heap.bootMillis(), r.heap.bytesPerPage(), r.heap.bytesPerPageAtBoot(), s.refillNanos(), s.bareRefillNanos(),
                    s.shrinkNanos(), s.bareShrinkNanos(), s.perPageNanos(), s.barePerPageNanos(), s.ratio(),
                    r.release.emulatedNanos(), r.release.bareNanos(), r.release.ratio(), r.release.noHookNanos()));
        }
        return b.append("\nheap: median of boots, with every page's object made (boot, then each page looked at once);"
                + " at boot: before any page is looked at (a zone makes a page's object on first look); scan: refill_inactive_zone + shrink_cache/shrink_list per page, thread CPU"
                + " time, emulated and bare slices alternating; release: mm1 page_cache_release of a shared page per op,"
                + " against AtomicInteger.decrementAndGet and against the same release with a step hook that does nothing.")
                .toString();
    }

    private static String kswapdTable(KswapdScaled.Result k) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%nkswapd-pressure at %s pages (hot %d pages, stream %d rounds of %d = %d pages, kswapd on cpu1): %s,"
                        + " %.1f s wall, %d findings; hot hits %d, misses %d, failed reads %d%n%n| counter | value |%n|---|---|%n",
                size(k.pages()), k.hotPages(), k.rounds(), k.chunk(), k.streamed(), k.outcome(), k.seconds(),
                k.findings(), k.hotHits(), k.hotMisses(), k.nomem()));
        k.vmstat().forEach((name, v) -> b.append("| ").append(name).append(" | ").append(v).append(" |\n"));
        return b.toString();
    }

    /** What the issue asks, each with its figure. */
    private static String verdicts(List<Row> rows) {
        Row ref = reference(rows);
        Row small = rows.get(0);
        Row large = rows.get(rows.size() - 1);
        double flat = large.scan.perPageNanos() / small.scan.perPageNanos();
        return String.format(Locale.ROOT, "%nbytesPerPage %.1f (<= 64: %s); scanRatio %.2f (<= 4: %s); releaseRatio %.2f"
                        + " (<= 3: %s); scan per page at %s / %s = %.2f (<= 1.5: %s)", ref.heap.bytesPerPage(),
                ok(ref.heap.bytesPerPage() <= 64), ref.scan.ratio(), ok(ref.scan.ratio() <= 4), ref.release.ratio(),
                ok(ref.release.ratio() <= 3), size(large.pages), size(small.pages), flat, ok(flat <= 1.5));
    }

    private static String ok(boolean b) {
        return b ? "yes" : "NO";
    }

    /** The 1 Mi-page row, or the largest below it, or the smallest. */
    private static Row reference(List<Row> rows) {
        Row best = null;
        for (Row r : rows) {
            if (r.pages <= MI && (best == null || r.pages > best.pages)) {
                best = r;
            }
        }
        return best != null ? best : rows.get(0);
    }

    private static String size(int pages) {
        return pages % MI == 0 ? pages / MI + " Mi" : pages % 1024 == 0 ? pages / 1024 + " Ki" : String.valueOf(pages);
    }

    static String json(List<Row> rows, KswapdScaled.Result k) throws IOException {
        Row ref = reference(rows);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("javaVersion", System.getProperty("java.version"));
        root.put("gc", gcName());
        root.put("referencePages", ref.pages);
        root.put("bytesPerPage", ref.heap.bytesPerPage());
        root.put("bytesPerPageAtBoot", ref.heap.bytesPerPageAtBoot());
        root.put("scanRatio", ref.scan.ratio());
        root.put("releaseRatio", ref.release.ratio());
        Map<String, Double> perPage = new LinkedHashMap<>();
        for (Row r : rows) {
            perPage.put(String.valueOf(r.pages), r.scan.perPageNanos());
        }
        root.put("perPageScanNanos", perPage);
        root.put("sizes", rows);
        if (k != null) {
            root.put("kswapdPressure", k);
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }
}
