package org.mmemu.core;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageAlloc;

/**
 * The two figures of docs/BENCHMARKS.md for mm-core: heap bytes per emulated page, and order-0
 * alloc+free pairs per second on one CPU under the free engine. Not a unit test (speed claims
 * belong in benchmarks). Run from the repository root:
 * <pre>
 * mvn -B -q -o -pl mm-core test-compile
 * java -cp mm-core/target/classes:mm-core/target/test-classes org.mmemu.core.CoreBenchMain [pages] [runs] [pairs]
 * </pre>
 * Defaults: a machine of 1 Mi pages (4 GiB of 4 KiB pages), 5 runs, 5,000,000 pairs per run.
 *
 * <p><b>Heap.</b> Used heap after {@code System.gc()} before and after booting the machine,
 * divided by its pages; the median of the runs. It includes everything a machine owns per page:
 * the {@code Page} (its {@code page->list} link folded in), the zone's sectioned page array, the
 * buddy bitmaps and the detectors' shadow. {@code mmemu bench scale} measures the same at 64 Ki
 * to 4 Mi pages.
 *
 * <p><b>Throughput.</b> One CPU of a {@link FreeEngine} machine runs {@code alloc_page(GFP_KERNEL)}
 * then {@code __free_pages(page, 0)} in a loop, timed inside the CPU's code (boot excluded),
 * after a warm-up run. Two layouts: "split" on a fresh zone, where every allocation splits a
 * 512-page block down to order 0 and every free merges it back (the worst case, nine levels);
 * and "no split", where the allocated page's buddy is held so each pair touches order 0 only.
 */
public final class CoreBenchMain {
    private CoreBenchMain() {
    }

    public static void main(String[] args) {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long pairs = args.length > 2 ? Long.parseLong(args[2]) : 5_000_000L;
        System.out.printf("java %s, max heap %d MiB, %d processors%n", System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

        List<Double> perPage = new ArrayList<>();
        List<Long> bootMs = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long before = usedAfterGc();
            long t0 = System.nanoTime();
            Machine m = new Machine(MachineConfig.of(1, pages), StepGate.FREE);
            bootMs.add((System.nanoTime() - t0) / 1_000_000);
            long after = usedAfterGc();
            perPage.add((after - before) / (double) pages);
            Reference.reachabilityFence(m);
        }
        System.out.printf("heap: %d pages, %.1f bytes/page (median of %d: %s), boot %d ms (median)%n",
                pages, median(perPage), runs, fmt(perPage, 1), medianL(bootMs));

        for (boolean split : new boolean[] {true, false}) {
            runPairs(1024, pairs / 5, split); // warm-up
            List<Double> rates = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                rates.add(runPairs(1024, pairs, split));
            }
            System.out.printf("free engine, 1 cpu, order-0 alloc+free (%s): %.2f M pairs/s (median of %d: %s)%n",
                    split ? "split from order 9" : "no split", median(rates) / 1e6, runs, fmt(rates, 0));
        }
    }

    /** Pairs per second of one CPU's alloc/free loop on a machine of {@code pages} pages. */
    private static double runPairs(int pages, long pairs, boolean split) {
        long[] nanos = {0};
        Program program = Program.of(gate -> new Machine(MachineConfig.of(1, pages), gate), (machine, cpu) -> {
            PageAlloc pa = machine.pageAlloc();
            if (!split) {
                // hold the buddy of the page the loop will get: a pair now stays at order 0
                Page a = pa.allocPage(cpu, Gfp.GFP_KERNEL);
                Page b = pa.allocPage(cpu, Gfp.GFP_KERNEL);
                pa.freePages(cpu, a, 0);
                Reference.reachabilityFence(b);
            }
            long t0 = System.nanoTime();
            for (long i = 0; i < pairs; i++) {
                Page p = pa.allocPage(cpu, Gfp.GFP_KERNEL);
                pa.freePages(cpu, p, 0);
            }
            nanos[0] = System.nanoTime() - t0;
        });
        RunResult result = new FreeEngine(Duration.ofMinutes(5)).run(program);
        if (!result.findings().isEmpty() || result.outcome() != RunResult.Outcome.COMPLETED) {
            throw new IllegalStateException("benchmark run did not complete cleanly: " + result.outcome()
                    + " " + result.findings());
        }
        return pairs * 1e9 / nanos[0];
    }

    private static String fmt(List<Double> xs, int decimals) {
        StringBuilder b = new StringBuilder("[");
        for (double x : xs) {
            b.append(b.length() > 1 ? ", " : "").append(String.format("%." + decimals + "f", x));
        }
        return b.append(']').toString();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static long medianL(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
