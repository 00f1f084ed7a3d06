package org.mmemu.bench;

import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Program;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.pagevec.Pagevec;
import org.mmemu.pagevec.Pagevecs;
import org.mmemu.reclaim.LongList;
import org.mmemu.reclaim.Reclaim;
import org.mmemu.reclaim.ReclaimConfig;
import org.mmemu.reclaim.Vmscan;

/**
 * The seed race (docs/RACE.md) as a program of the real modules: CPU 0 runs
 * {@code shrink_cache(Normal)} (mm-reclaim, one batch), CPU 1 runs {@code __pagevec_release} of
 * a pagevec holding the only reference to page P (mm-pagevec), P first on the inactive list with
 * count 1 and no mapping (truncated), 32 filler pages behind it (LongList), and one interrupt of {@code irqSteps} steps may reach CPU 1.
 * Under {@code mm1} a long enough interrupt that arrives before the {@code cli} lets reclaim free
 * P first and the releaser free it again.
 *
 * <p>The same program runs under every engine: the explorer (benchmarks 3 and 4, the HTML
 * report's lanes), the free engine (benchmark 4's stress) and the timed engine (benchmark 5).
 * It mirrors mm-reclaim's {@code ShrinkCacheDoubleFreeTest}, which is its test-side twin.
 *
 * @param protocol  the protocol's name in the mm-lru registry
 * @param irqSteps  the interrupt handler's length in steps
 * @param irqMax    the most interrupts per run
 * @param fixedIrq  whether the handler runs exactly {@code irqSteps} CPU-local steps (the one long
 *                  interrupt of docs/RACE.md: the explorer chooses only where it arrives), or is a
 *                  busy handler whose length the engine chooses (the explorer: 1 to {@code irqSteps};
 *                  the timed engine: drawn around {@code irqSteps})
 * @param releaserDelay CPU-local steps CPU 1 takes before its release (other work): where the
 *                  release starts relative to reclaim's scan, for the timed engine, whose only
 *                  other source of variation is the interrupts
 */
public record SeedRace(String protocol, int irqSteps, int irqMax, boolean fixedIrq, int releaserDelay)
        implements Program {
    /** The releasing CPU's other work before its release: a stand-in, one CPU-local step each. */
    static final Site OTHER_WORK = Site.of("bench", "other work on this CPU");
    /** The long interrupt's work: a stand-in for a handler that keeps the CPU for a while. */
    static final Site HANDLER_WORK = Site.of("timer_interrupt", "handler work");

    /** The race as docs/RACE.md draws it: one interrupt of exactly {@code irqSteps} steps. */
    public static SeedRace of(String protocol, int irqSteps) {
        return new SeedRace(protocol, irqSteps, 1, true, 0);
    }

    /** For the timed engine: interrupts of random length around {@code irqSteps}, the release starting late. */
    public static SeedRace timed(String protocol, int irqSteps, int releaserDelay) {
        return new SeedRace(protocol, irqSteps, 1_000, false, releaserDelay);
    }

    @Override
    public Machine boot(StepGate gate) {
        LruProtocol p = ProtocolRegistry.onClassPath().byName(protocol);
        Machine m = new Machine(MachineConfig.of(2, 64).withBiasedCount(p.biasedCount()), gate);
        Lru.install(m, p);
        Reclaim.install(m, ReclaimConfig.defaults());
        normal(m).overrideWatermarks(4, 8, 12);
        // Setup runs on a CPU outside the program, so none of its steps are the run's.
        Cpu setup = new Cpu(63, StepGate.FREE, m.detectors());
        Page page = m.pageAlloc().allocPage(setup, Gfp.GFP_KERNEL);
        Lru.of(m).zone(normal(m)).addQuietly(page, false);
        // The list is long, as on a real machine (LongList): a skipped P does not make a kernel
        // of before 2.5.39 loop on it forever.
        LongList.fill(m, normal(m), Vmscan.SWAP_CLUSTER_MAX, 0);
        m.extension(SeedRace.class, x -> page);
        m.watch(page);
        return m;
    }

    @Override
    public void run(Machine m, Cpu cpu) {
        if (cpu.id() == 0) {
            Reclaim.of(m).vmscan().shrinkCache(cpu, Vmscan.SWAP_CLUSTER_MAX, normal(m), Gfp.GFP_KERNEL, 1);
        } else {
            for (int i = 0; i < releaserDelay; i++) {
                cpu.local(OTHER_WORK);
            }
            Pagevec pvec = new Pagevec();
            pvec.pagevecAdd(m.<Page>extensionOrNull(SeedRace.class));
            Pagevecs.__pagevecRelease(cpu, pvec);
        }
    }

    @Override
    public List<InterruptSpec> interrupts() {
        if (!fixedIrq) {
            return List.of(InterruptSpec.busy(1, irqSteps, irqMax));
        }
        int steps = irqSteps;
        return List.of(new InterruptSpec(1, 0, irqMax, (m, c) -> {
            for (int i = 0; i < steps; i++) {
                c.local(HANDLER_WORK);
            }
        }));
    }

    private static Zone normal(Machine m) {
        return m.zone(ZoneType.NORMAL);
    }
}
