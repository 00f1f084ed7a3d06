package com.example.mmemu.release;

import java.time.Duration;
import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.pagevec.Pagevec;
import org.mmemu.pagevec.Pagevecs;

/**
 * mm-core + mm-lru + mm-pagevec: page P sits on the inactive LRU with two references, one held by
 * each of two CPUs; each drops its reference through a pagevec ({@code pagevec_release()}), so
 * exactly one of them must take P off the LRU and free it.
 *
 * <p>The same {@link Program} runs under the free engine (real threads, whatever interleaving
 * the host gives) and under the controlled engine, which explores the interleavings under a
 * schedule policy ({@code exhaustive} here, with a preemption bound) and reports the verdict.
 */
public final class ReleasePath {
    private ReleasePath() {
    }

    /** The two-CPU release of P under {@code protocol} (e.g. {@code mm1}, see {@code mmemu protocols}). */
    public static Program twoReleases(String protocol) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                LruProtocol p = ProtocolRegistry.onClassPath().byName(protocol);
                Machine m = new Machine(MachineConfig.of(2, 256).withBiasedCount(p.biasedCount()), gate);
                Lru.install(m, p);
                // Set-up, before any CPU runs: P from the allocator, two references, on the inactive list.
                Page page = m.pageAlloc().rmqueue(m.cpu(0), m.zone(ZoneType.NORMAL), 0);
                page.setCountQuietly(2);
                Lru.of(m).zoneOf(page).addQuietly(page, false);
                m.watch(page);
                return m;
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                Pagevec pvec = new Pagevec();
                pvec.pagevecAdd(m.watched().get(0));
                Pagevecs.pagevecRelease(cpu, pvec);
            }
        };
    }

    /** The free engine, {@code runs} times: the findings of every run. */
    public static List<Finding> underFreeEngine(Program program, int runs) {
        FreeEngine engine = new FreeEngine(Duration.ofSeconds(10));
        return java.util.stream.IntStream.range(0, runs).mapToObj(i -> engine.run(program))
                .map(RunResult::findings).flatMap(List::stream).toList();
    }

    /** The controlled engine with the exhaustive policy, at most two preemptions per schedule. */
    public static ExploreResult underControlledEngine(Program program) {
        return Explorer.explore(program, ExploreOptions.defaults().withPolicy("exhaustive").withPreemptionBound(2)
                .withTimeLimit(Duration.ofSeconds(30)));
    }

    public static void main(String[] args) {
        String protocol = args.length > 0 ? args[0] : "mm1";
        Program program = twoReleases(protocol);
        List<Finding> free = underFreeEngine(program, 1000);
        System.out.printf("%s, free engine, 1000 runs: %s%n", protocol, free.isEmpty() ? "no findings" : free);
        ExploreResult r = underControlledEngine(program);
        System.out.printf("%s, controlled engine (exhaustive, preemption bound 2): %s after %d schedules%s%n",
                protocol, r.verdict(), r.schedules(), r.complete() ? ", space covered" : ", bound hit");
        r.findings().forEach(f -> System.out.println("  " + f));
    }
}
