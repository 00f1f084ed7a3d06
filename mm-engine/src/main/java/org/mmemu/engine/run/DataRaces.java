package org.mmemu.engine.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.engine.hb.VectorClock;

/**
 * Emulator, not kernel: the data-race detector (docs/ARCHITECTURE.md §4), KCSAN's rule over
 * the steps of one controlled run. Two accesses race when they touch one field of one target
 * ({@link Access#sameField}), at least one is a plain write (a {@link Access#WRITE} of a field
 * that is not {@linkplain Access#isAtomic atomic}), and neither happens before the other.
 * Atomic against atomic never races, nor a load against an atomic write: only a plain write
 * can tear or be lost. A site marked {@link Site#dataRace()} (the kernel's {@code data_race()})
 * races with nothing. Each pair of sites is reported once per run, with both sites.
 *
 * <p><b>Happens-before.</b> Vector clocks ({@link VectorClock}) over two contexts per CPU: its
 * task and its interrupt handler, so that a CPU races with its own handler. The edges:
 * <ul>
 * <li>program order within a context;</li>
 * <li>a spinlock's release to its next acquisition ({@code spin_trylock}'s step counts as an
 *     acquisition whether or not it takes the lock: it can only add order);</li>
 * <li>an atomic write to the next atomic write of the same field: x86's locked instructions are
 *     full barriers, and the kernel of 2002 relied on it ({@code put_page_testzero()} orders the
 *     releases before the free); plain loads and stores order nothing, as on a compiler that may
 *     tear, fuse or move them;</li>
 * <li>the page lock: {@code lock_page()}, {@code unlock_page()} and {@code wait_on_page_locked()}
 *     are atomics of the PG_locked bit (lock steps on a page), so an unlock orders what its
 *     holder did before the next {@code TestSetPageLocked()} or {@code lock_page()} of the page;</li>
 * <li>the CPU's interrupts as a lock: {@code cli} acquires it and {@code sti} releases it in
 *     the task, a handler holds it from its first step to its last. So a handler is ordered
 *     against a section run with irqs off, and races with what the task does with irqs on.</li>
 * </ul>
 * Like every happens-before detector it sees the races of the interleavings it is shown; the
 * engine's searches show it theirs.
 *
 * <p>Sources: M. Elver, D. Vyukov, "KCSAN" (Documentation/dev-tools/kcsan.rst, Linux 5.8); the
 * Linux kernel memory model's data-race rule (tools/memory-model/Documentation/explanation.txt);
 * C. Flanagan, S. Freund, "FastTrack" (PLDI 2009) for the per-location history.
 */
public final class DataRaces {
    /** One access kept for a target: its context and clock entry, field, kind, CPU and site. */
    private record Acc(int ctx, int epoch, int field, int kind, int cpu, boolean irq, Site site) {
    }

    private static final int READ = 0;
    private static final int PLAIN = 1;
    private static final int ATOMIC = 2;

    private final int n;
    private final Detectors detectors;
    /** Contexts 0..n-1: the CPUs' tasks; n..2n-1: their interrupt handlers. */
    private final VectorClock[] clocks;
    private final VectorClock[] irqLock;
    private final boolean[] inHandler;
    private final boolean[] irqsOff;
    private final Map<Object, VectorClock> locks = new IdentityHashMap<>();
    private final Map<Object, List<Acc>> history = new IdentityHashMap<>();
    private final Map<Object, Map<Integer, VectorClock>> atomics = new IdentityHashMap<>();
    private final Set<Set<Site>> reported = new HashSet<>();

    /** A detector for a machine of {@code cpus} CPUs, reporting to {@code detectors}. */
    public DataRaces(int cpus, Detectors detectors) {
        this.n = cpus;
        this.detectors = detectors;
        this.clocks = new VectorClock[2 * cpus];
        for (int i = 0; i < clocks.length; i++) {
            clocks[i] = new VectorClock(2 * cpus);
        }
        this.irqLock = new VectorClock[cpus];
        for (int i = 0; i < cpus; i++) {
            irqLock[i] = new VectorClock(2 * cpus);
        }
        this.inHandler = new boolean[cpus];
        this.irqsOff = new boolean[cpus];
    }

    /** A step that the engine has just granted {@code cpu}, made before the operation itself. */
    public void step(Cpu cpu, Site site, Object target, int field, Access access) {
        int ctx = context(cpu);
        VectorClock clock = clocks[ctx];
        if (access == Access.LOCAL || target == null || target instanceof Cpu) {
            return;
        }
        if (target instanceof SpinLock) {
            VectorClock l = locks.computeIfAbsent(target, t -> new VectorClock(2 * n));
            if (access == Access.UNLOCK) {
                l.join(clock);
            } else {
                clock.join(l);
            }
            return;
        }
        // a lock step on anything but a spinlock is the page lock's bitop (lock_page's and
        // unlock_page's test_and_set_bit / test_and_clear_bit, wait_on_page_locked's wake-up):
        // an atomic of the PG_locked field, ordered in that field's chain like any other
        boolean pageLockStep = access == Access.LOCK || access == Access.UNLOCK;
        int kind = pageLockStep ? ATOMIC : access != Access.WRITE ? READ : Access.isAtomic(field) ? ATOMIC : PLAIN;
        VectorClock sync = null;
        if (kind == ATOMIC) {
            sync = atomics.computeIfAbsent(target, t -> new java.util.HashMap<>())
                    .computeIfAbsent(field, f -> new VectorClock(2 * n));
            clock.join(sync);
        }
        Acc a = new Acc(ctx, clock.tick(ctx), field, kind, cpu.id(), ctx >= n, site);
        List<Acc> seen = history.computeIfAbsent(target, t -> new ArrayList<>(4));
        Acc replaced = null;
        for (int i = 0; i < seen.size(); i++) {
            Acc e = seen.get(i);
            if (e.ctx == ctx) {
                if (e.field == field && e.kind == kind) {
                    seen.set(i, a);
                    replaced = e;
                }
            } else if (races(a, e) && !clock.covers(e.ctx, e.epoch)) {
                report(target, a, e);
            }
        }
        if (replaced == null) {
            seen.add(a);
        }
        if (sync != null) {
            sync.join(clock);
        }
    }

    /** KCSAN's rule for two accesses of different contexts, before happens-before is asked. */
    private static boolean races(Acc a, Acc b) {
        return Access.sameField(a.field, b.field) && (a.kind == PLAIN || b.kind == PLAIN)
                && !a.site.isDataRace() && !b.site.isDataRace();
    }

    /**
     * The context of {@code cpu}'s step, after the edges its interrupt state implies since its
     * last step: a handler's first step acquires the CPU's irq lock and the task's next step
     * releases it for the handler; a task that turned irqs off acquires it, on releases it.
     */
    private int context(Cpu cpu) {
        int c = cpu.id();
        if (cpu.inInterrupt()) {
            if (!inHandler[c]) {
                inHandler[c] = true;
                if (irqsOff[c]) {
                    // the task turned irqs on and was interrupted before its next step
                    irqsOff[c] = false;
                    irqLock[c].join(clocks[c]);
                }
                clocks[n + c].join(irqLock[c]);
            }
            return n + c;
        }
        if (inHandler[c]) {
            inHandler[c] = false;
            irqLock[c].join(clocks[n + c]);
        }
        boolean off = cpu.irqsDisabled();
        if (off != irqsOff[c]) {
            irqsOff[c] = off;
            if (off) {
                clocks[c].join(irqLock[c]);
            } else {
                irqLock[c].join(clocks[c]);
            }
        }
        return c;
    }

    private void report(Object target, Acc a, Acc e) {
        if (!reported.add(a.site.equals(e.site) ? Set.of(a.site) : Set.of(a.site, e.site))) {
            return;
        }
        String field = Access.fieldName(a.field == Access.WHOLE ? e.field : a.field);
        String what = TraceRows.describe(target) + (field.isEmpty() ? "" : "'s " + field);
        String msg = "data race on " + what + ": " + describe(a) + " and " + describe(e)
                + ", not ordered by happens-before";
        long pfn = target instanceof Page p ? p.pfn() : -1;
        detectors.report(new Finding(FindingKind.DATA_RACE, pfn, a.cpu, a.site, msg,
                List.of(new Finding.Related("racing " + KINDS[e.kind] + (e.irq ? " (irq)" : ""), e.cpu, e.site)),
                detectors.recentOf(a.cpu, e.cpu), ""));
    }

    private static final String[] KINDS = {"read", "plain write", "atomic write"};

    private static String describe(Acc a) {
        return KINDS[a.kind] + " by cpu" + a.cpu + (a.irq ? " in interrupt" : "") + " at " + a.site;
    }
}
