package org.mmemu.core.emu;

import java.util.function.Function;

/**
 * An emulated CPU: what {@code smp_processor_id()}, {@code local_irq_save()},
 * {@code in_interrupt()} and {@code current->flags} would tell the kernel code running on it.
 *
 * <p>Kernel code receives its CPU explicitly as the first parameter, the way kernel code runs
 * implicitly on the current processor. Every operation on shared state goes through
 * {@link #step}, which hands the step to the engine's {@link StepGate}; that is how one and the
 * same mirror of a kernel function runs under the free, controlled and timed engines.
 *
 * <p>Interrupt state follows the kernel, not a counter: {@code local_irq_disable()} does not
 * nest in Linux, {@code spin_unlock_irq()} turns interrupts on whatever they were before, and
 * only the {@code _irqsave}/{@code _irqrestore} pair remembers the previous state. Modelling a
 * depth would hide exactly the bugs that made the LRU lock irq-safe.
 */
public final class Cpu {
    /** {@code PF_MEMALLOC}: the task is freeing memory and may dip below the watermarks. */
    public static final int PF_MEMALLOC = 0x800;
    /** {@code PF_MEMDIE}: the task was chosen by the OOM killer. */
    public static final int PF_MEMDIE = 0x1000;
    /** {@code PF_KSWAPD}: the kswapd thread. */
    public static final int PF_KSWAPD = 0x40000;

    private static final Site CLI = Site.of("local_irq_disable", "cli");
    private static final Site STI = Site.of("local_irq_enable", "sti");
    private static final Site PUSHF_CLI = Site.of("local_irq_save", "pushf; cli");
    private static final Site POPF = Site.of("local_irq_restore", "popf");

    private final int id;
    private final StepGate gate;
    private final Detectors detectors;
    private final RecentSteps recent = new RecentSteps(32);
    /**
     * Per-CPU variables: keys and values side by side, searched by identity. A CPU has a
     * handful (the LRU's, the pagevecs'), and kernel code looks one up on almost every call,
     * so a short scan beats a hash map's lookup (and its lambda) by far.
     */
    private Object[] locals = new Object[8];
    private int nrLocals;
    private boolean irqsDisabled;
    private int hardirqCount;
    private int preemptCount;
    private int pflags;
    private int foldDepth;
    private long folded;
    /**
     * The folded steps by {@link Access} (ordinal): the cycles they stand for under a cost table
     * ({@code mmemu odds} charges folded filler work at what its steps would cost).
     */
    private final long[] foldedByAccess = new long[Access.values().length];
    /** Locks this CPU took folded and still holds (see {@link #foldLock()}). */
    private int foldedLocks;
    /** What list_del() leaves in a deleted entry: LIST_POISON (true) or NULL (false); see {@link #listDelPoisons()}. */
    private boolean listDelPoisons;
    /** Whether the kernel was built with {@code CONFIG_SMP}; see {@link #smp()}. */
    private boolean smp = true;
    /** The number of the interrupt whose handler runs now, -1 when none or not known. */
    private int irq = -1;

    public Cpu(int id, StepGate gate, Detectors detectors) {
        this.id = id;
        this.gate = gate;
        this.detectors = detectors;
        detectors.register(this);
    }

    /** The machine's detectors, for kernel code's BUG() checks and the shadow checks. */
    public Detectors detectors() {
        return detectors;
    }

    /** {@code smp_processor_id()}. */
    public int id() {
        return id;
    }

    /**
     * One emulated step: the engine may hold this CPU here until its schedule lets it go on,
     * and may run an interrupt handler on it first. The caller performs the operation right
     * after this returns.
     */
    public void step(Site site, Object target, Access access) {
        step(site, target, Access.WHOLE, access);
    }

    /**
     * {@link #step(Site, Object, Access)} on one field of {@code target} (a page's count, one of
     * its flag bits, its list link; see {@link Access#sameField}): steps on different fields of one
     * page commute, and the controlled engine's partial-order reduction uses that.
     */
    public void step(Site site, Object target, int field, Access access) {
        if (foldDepth > 0) {
            if (access != Access.LOCK) {
                folded++;
                foldedByAccess[access.ordinal()]++;
                return;
            }
            // a lock step is folded only by the lock itself (foldLock), since it may have to
            // wait; inside a critical section entered folded it would make that section visible
            // (foldEnd refuses to end the fold inside one, so out of a fold there is none)
            if (foldedLocks > 0) {
                throw new IllegalStateException(this + ": " + site + " would be an engine step inside a critical"
                        + " section whose lock was taken folded");
            }
        }
        gate.step(this, site, target, field, access);
        recent.record(site);
    }

    /**
     * Emulator, not kernel: from here to the matching {@link #foldEnd()} this CPU's steps pass
     * without the engine: no row, no decision, no interrupt. Reclaim folds its work on filler
     * pages this way (see {@code PageFlags#PG_filler}): pages no other CPU can touch, whose
     * steps commute with every other CPU's, so folding them loses no interleaving. What is
     * lost is their duration (a folded step takes no time), which the filler's documentation
     * says. Nests.
     */
    public void foldBegin() {
        foldDepth++;
    }

    /** Ends a {@link #foldBegin()}. */
    public void foldEnd() {
        if (foldDepth == 0) {
            throw new IllegalStateException(this + ": foldEnd without foldBegin");
        }
        if (foldDepth == 1 && foldedLocks > 0) {
            throw new IllegalStateException(this + ": foldEnd inside a critical section whose lock was taken folded");
        }
        foldDepth--;
    }

    /** Whether this CPU is between {@link #foldBegin()} and its {@link #foldEnd()}. */
    public boolean folding() {
        return foldDepth > 0;
    }

    /**
     * Emulator, not kernel: a lock step taken folded. Only a lock calls it, when this CPU folds,
     * the lock is free and this CPU holds no other: the whole critical section then runs
     * without the engine, an atomic block that leaves the lock as it found it and touches
     * nothing another CPU can reach, so it commutes with every other CPU's step; and a CPU that
     * holds nothing else cannot be part of a deadlock. Every further step up to the matching
     * {@link #foldUnlock()} must be folded too: {@link #foldEnd()} refuses to end the fold inside
     * the section, and {@link #step} refuses a lock step the engine would see.
     * (Reclaim's release of filler pages under a protocol that always takes lru_lock would
     * otherwise make one lock row per filler, and every order of those empty critical sections
     * against other CPUs' would be a different trace to explore.)
     */
    public void foldLock() {
        if (foldDepth == 0) {
            throw new IllegalStateException(this + ": foldLock outside a fold");
        }
        folded++;
        foldedByAccess[Access.LOCK.ordinal()]++;
        foldedLocks++;
    }

    /** Ends a critical section begun by {@link #foldLock()}; the unlock step itself went through {@link #step}. */
    public void foldUnlock() {
        if (foldedLocks == 0) {
            throw new IllegalStateException(this + ": foldUnlock without foldLock");
        }
        foldedLocks--;
    }

    /** How many steps this CPU made folded (see {@link #foldBegin()}), for traces and tests. */
    public long foldedSteps() {
        return folded;
    }

    /** How many of the folded steps were of kind {@code access}. */
    public long foldedSteps(Access access) {
        return foldedByAccess[access.ordinal()];
    }

    /** A step that touches only this CPU (a test, a compare, a call): see {@link Access#LOCAL}. */
    public void local(Site site) {
        step(site, this, Access.LOCAL);
    }

    /**
     * Emulator, not kernel: the engine took a repeat of this CPU's pending local step, {@code
     * site}, on its behalf, without resuming it (the controlled engine does so for a busy
     * interrupt handler's steps, all alike); recorded as the step itself would be.
     */
    public void repeatedLocal(Site site) {
        recent.record(site);
    }

    /** The last sites this CPU stepped through. */
    public RecentSteps recent() {
        return recent;
    }

    // ---- interrupts ---------------------------------------------------------------------

    /** {@code irqs_disabled()}. */
    public boolean irqsDisabled() {
        return irqsDisabled;
    }

    /** {@code local_irq_disable()}: one step, the {@code cli}. */
    public void localIrqDisable() {
        local(CLI);
        irqsDisabled = true;
    }

    /** {@code local_irq_enable()}: one step, the {@code sti}. */
    public void localIrqEnable() {
        local(STI);
        irqsDisabled = false;
    }

    /** {@code local_irq_save(flags)}: one step; returns whether irqs were off before. */
    public boolean localIrqSave() {
        local(PUSHF_CLI);
        boolean was = irqsDisabled;
        irqsDisabled = true;
        return was;
    }

    /** {@code local_irq_restore(flags)}: one step. */
    public void localIrqRestore(boolean wasDisabled) {
        local(POPF);
        irqsDisabled = wasDisabled;
    }

    /** {@code in_interrupt()}: true while a hardirq handler runs on this CPU. */
    public boolean inInterrupt() {
        return hardirqCount > 0;
    }

    /**
     * Runs {@code handler} as a hardirq on this CPU: {@code irq_enter()}, the handler with irqs
     * off (as i386 runs SA_INTERRUPT handlers; it keeps one interrupt per arrival), then
     * {@code irq_exit()}. Engines call this at a step where {@link #irqsDisabled()} is false.
     */
    public void runInterrupt(Runnable handler) {
        runInterrupt(-1, handler);
    }

    /**
     * {@link #runInterrupt(Runnable)} of interrupt number {@code irq} (the engine's {@code i0},
     * {@code i1}, ...), which findings made in the handler name ({@link #context()}).
     */
    public void runInterrupt(int irq, Runnable handler) {
        if (irqsDisabled) {
            throw new IllegalStateException("cpu" + id + ": interrupt delivered with irqs disabled");
        }
        int outer = this.irq;
        hardirqCount++;
        irqsDisabled = true;
        this.irq = irq;
        try {
            handler.run();
        } finally {
            this.irq = outer;
            irqsDisabled = false;
            hardirqCount--;
        }
    }

    /**
     * Where code on this CPU runs, for findings: {@code cpu0}, or {@code cpu0 in irq0 handler}
     * while an interrupt's handler runs ({@code cpu0 in irq handler} when its number is not known).
     */
    public String context() {
        if (!inInterrupt()) {
            return toString();
        }
        return this + " in irq" + (irq >= 0 ? String.valueOf(irq) : "") + " handler";
    }

    // ---- preemption and task flags ------------------------------------------------------

    /** {@code preempt_disable()} (and {@code get_cpu()}). */
    public void preemptDisable() {
        preemptCount++;
    }

    /** {@code preempt_enable()} (and {@code put_cpu()}). */
    public void preemptEnable() {
        if (preemptCount == 0) {
            throw new IllegalStateException("cpu" + id + ": preempt count underflow");
        }
        preemptCount--;
    }

    public int preemptCount() {
        return preemptCount;
    }

    /** {@code current->flags} of the task running on this CPU. */
    public int pflags() {
        return pflags;
    }

    public void setPflags(int flags) {
        pflags = flags;
    }

    /**
     * What include/linux/list.h: list_del() stores in the deleted entry's links on the kernel
     * this CPU runs: {@code LIST_POISON1}/{@code LIST_POISON2} (2.6.0 on, stored text) or NULL
     * (2.5.31-2.5.33, stored text: {@code entry->next = (void *) 0}). Emulator state, set once at
     * boot from the kernel profile (mm-lru's {@code Lru.install}); NULL until then, as the
     * project's default kernel (2.5.33) has it.
     */
    public boolean listDelPoisons() {
        return listDelPoisons;
    }

    /** Sets {@link #listDelPoisons()}; at boot, before the CPU runs. */
    public void setListDelPoisons(boolean poisons) {
        this.listDelPoisons = poisons;
    }

    /**
     * Whether the kernel on this CPU was built with {@code CONFIG_SMP} (true unless the machine
     * says {@code smp: false}). Without it, include/linux/spinlock.h (2.5.31-2.6.7) compiles
     * {@code _raw_spin_lock()} to nothing, so {@code spin_lock()} is {@code preempt_disable()}
     * and {@code spin_lock_irq()} is {@code local_irq_disable()} plus that, and the
     * {@code #ifdef CONFIG_SMP} spin of a bit-spinlock ({@code pte_chain_lock()}) is left out:
     * {@code SpinLock} and the bit-spinlocks ask this. Emulator state, set once at boot from
     * {@code MachineConfig.smp()}.
     */
    public boolean smp() {
        return smp;
    }

    /** Sets {@link #smp()}; at boot, before the CPU runs. */
    public void setSmp(boolean smp) {
        this.smp = smp;
    }

    // ---- per-CPU data -------------------------------------------------------------------

    /**
     * This CPU's instance of a per-CPU variable ({@code DEFINE_PER_CPU}), created on first use.
     * {@code key} is any object identifying the variable, typically the owning subsystem.
     */
    @SuppressWarnings("unchecked")
    public <T> T perCpu(Object key, Function<Cpu, T> init) {
        Object[] l = locals;
        for (int i = 0; i < nrLocals; i += 2) {
            if (l[i] == key) {
                return (T) l[i + 1];
            }
        }
        T v = init.apply(this);
        // init may have made other per-CPU variables of this CPU: read the array again
        if (nrLocals == locals.length) {
            locals = java.util.Arrays.copyOf(locals, 2 * locals.length);
        }
        locals[nrLocals] = key;
        locals[nrLocals + 1] = v;
        nrLocals += 2;
        return v;
    }

    @Override
    public String toString() {
        return "cpu" + id;
    }
}
