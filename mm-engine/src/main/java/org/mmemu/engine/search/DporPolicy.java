package org.mmemu.engine.search;

import java.util.List;
import org.mmemu.core.emu.Access;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.delay.Option;

/**
 * {@code dpor}: every Mazurkiewicz trace of the {@code anywhere} model explored once, by dynamic
 * partial-order reduction with source sets and sleep sets (Abdulla, Aronis, Jonsson and Sagonas,
 * "Optimal dynamic partial order reduction", POPL 2014, Algorithm 1 "source-DPOR").
 *
 * <p><b>Search.</b> Stateless, like {@link ExhaustivePolicy} and over the same
 * {@link DecisionTree}: the policy keeps the decision points of the last execution (the options,
 * which of them are to be explored (the backtrack set), which are done, the sleep set on arrival)
 * and every execution replays a prefix of it, then extends it by the first option that is not
 * asleep. While an execution runs, {@link DporWalk} gives each event a vector clock
 * ({@link org.mmemu.engine.hb.VectorClock}: program order plus the order of dependent events) and,
 * for every event past the replayed prefix, finds the earlier events it races with; for each race e
 * ⋖ e' it computes the initials of {@code notdep(e).e'} (the CPUs that can start the reversed race
 * from the state before e) and, unless one of them is already in that point's backtrack or sleep
 * set, adds one. Sleep sets ensure no two complete executions are equivalent; an execution whose
 * every option is asleep is abandoned ({@link org.mmemu.engine.RunResult.Outcome#PRUNED}, counted
 * apart). Wakeup trees (the optimal algorithm) were left out: on the shipped scenarios the
 * abandoned executions are a small fraction of the complete ones (see docs/BENCHMARKS.md, section
 * DPOR), so they would save little for their complexity.
 *
 * <p><b>Dependence.</b> Two steps are dependent when they touch overlapping fields of the same
 * target and one writes ({@link org.mmemu.engine.hb.Footprint#dependsOn}, {@link Access#sameField}:
 * a page's count, each flag bit, its list link are apart); {@code LOCK} and {@code UNLOCK} write
 * their lock. A race is looked for only against the last write of the field (or of a field
 * containing it, {@link Access#contains}) and the reads since (earlier accesses happen before that
 * write, so their races are not immediate). Locks need one twist: a {@code LOCK} always follows the
 * previous holder's {@code UNLOCK}, and that pair cannot be reversed (the CPU is not enabled while
 * the lock is held), so a {@code LOCK} races with the previous acquisition instead, before which
 * the lock was free. A CPU whose pending {@code LOCK} is on a held lock is not offered by the
 * model, so it is never chosen; a race whose initials are not enabled at its point (which the lock
 * rule should prevent) falls back to every enabled option there, which is always sound.
 *
 * <p><b>Interrupts.</b> An interrupt's arrival belongs to its CPU: it is an event of that CPU,
 * dependent on all of that CPU's steps and on no other CPU's. Whether the CPU takes its step or
 * the interrupt arrives is a choice internal to the CPU, not a race, so wherever one of the two
 * is taken the other is added to the backtrack set; sleep sets then keep an arrival from being
 * tried again at points that differ only by other CPUs' independent steps. The handler's steps
 * are the CPU's events like any other.
 *
 * <p><b>Bound.</b> With a preemption bound (option costs as in {@link org.mmemu.engine.delay.AnywhereScheduler}), the
 * search stays sound for the bounded space by being conservative, as loom does
 * ({@code src/rt/path.rs}, after Coons, Musuvathi and McKinley, "Bounded partial-order
 * reduction", OOPSLA 2013): sleep sets are off, and every initial of a reversed race (not just
 * one) is added where the bound allows, at the race's point and at every decision point before
 * it back to the last context switch. Bounded POR adds only that last switch, where switching
 * costs no extra preemption; that misses a trace whose only interleaving within the bound puts
 * the other CPU's step in the middle of the block (inside a lock section, so that the other CPU
 * then blocks and the first goes on for free), which the property test against bounded plain
 * enumeration found. Without a bound the search is the plain algorithm above.
 *
 * <p><b>Delay model.</b> Only {@code anywhere}: in the {@code irq} model the CPUs run in
 * lock-step and the choices (start offsets, slips, arrival points, durations) are not orders of
 * dependent events, so the theory above does not apply; the constructor refuses it.
 *
 * <p><b>Units.</b> One. Backtrack points found in one subtree are added at points above it
 * (any ancestor), so subtrees cannot be explored apart without losing that exchange; threads
 * and shards beyond the first therefore get no work.
 */
final class DporPolicy implements SchedulePolicy {
    static final String NAME = "dpor";
    /** Option ids: a CPU's step is its number, interrupt {@code k}'s arrival is {@code IRQ_BASE + k}. */
    static final int IRQ_BASE = 32;

    private final ExploreOptions o;
    final boolean bounded;
    private volatile boolean boundCut;

    DporPolicy(ExploreOptions o) {
        if (o.delays() != DelayModel.ANYWHERE) {
            throw new IllegalArgumentException("policy dpor explores the 'anywhere' delay model only (use --delays "
                    + "anywhere, or policy exhaustive, pct or pos for 'irq')");
        }
        this.o = o;
        this.bounded = o.preemptionBound() >= 0;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String origin() {
        return "source-set DPOR with sleep sets (Abdulla et al., POPL 2014), "
                + (bounded ? "preemption bound " + o.preemptionBound() + " with conservative backtracking (loom)"
                : "no preemption bound");
    }

    @Override
    public int plan(Runner runner) {
        return 1;
    }

    @Override
    public boolean boundCut() {
        return boundCut;
    }

    @Override
    public void runUnit(int unit, Runner runner) {
        Search s = new Search();
        long[] n = new long[1];
        do {
            int[] key = {(int) Math.min(Integer.MAX_VALUE, n[0]++)};
            if (runner.run(s.walk(), () -> key) == null) {
                return;
            }
        } while (s.advance());
    }

    @Override
    public boolean exhaustive() {
        return true;
    }

    static long bit(int id) {
        return 1L << id;
    }

    static int idOf(Option op) {
        if (op.kind() == Option.Kind.STEP && op.cpu() < IRQ_BASE) {
            return op.cpu();
        }
        if (op.kind() == Option.Kind.IRQ && op.irq() < 64 - IRQ_BASE) {
            return IRQ_BASE + op.irq();
        }
        throw new IllegalArgumentException("dpor handles at most " + IRQ_BASE + " CPUs and " + (64 - IRQ_BASE)
                + " interrupts of the anywhere model, not " + op);
    }

    /** A decision point for {@code options}: each option's identity is {@link #idOf} it. */
    static DecisionTree.Node node(List<Option> options, long sleepIn, int costIn) {
        int[] ids = new int[options.size()];
        int[] cost = new int[options.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = idOf(options.get(i));
            cost[i] = options.get(i).cost();
        }
        return new DecisionTree.Node(ids, cost, sleepIn, costIn);
    }

    private boolean withinBound(DecisionTree.Node n, int i) {
        boolean within = !bounded || n.withinBound(i, o.preemptionBound());
        if (!within) {
            boundCut = true; // complete now means complete within the bound
        }
        return within;
    }

    /**
     * The first option of {@code n} to be explored (in {@code wanted}) that is not done, not
     * asleep and within the bound, or -1.
     */
    int next(DecisionTree.Node n, long wanted) {
        for (int i = 0; i < n.ids.length; i++) {
            long b = bit(n.ids[i]);
            if ((wanted & b) != 0 && (n.done & b) == 0 && !n.asleep(i) && withinBound(n, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Adds the options in {@code wanted} to the backtrack set of {@code n}; if none is offered there, every option. */
    static void addAll(DecisionTree.Node n, long wanted) {
        long added = 0;
        for (int id : n.ids) {
            added |= wanted & bit(id);
        }
        if (added == 0) {
            for (int id : n.ids) {
                added |= bit(id);
            }
        }
        n.backtrack |= added;
    }

    /**
     * Source sets: adds one option of {@code initials} to {@code n}'s backtrack set, unless one
     * is in its backtrack or sleep set already.
     */
    static void addOne(DecisionTree.Node n, long initials) {
        if ((initials & (n.backtrack | n.sleepIn)) != 0) {
            return;
        }
        for (int id : n.ids) {
            if ((initials & bit(id)) != 0) {
                n.backtrack |= bit(id);
                return;
            }
        }
        addAll(n, 0);
    }

    /** The CPU of the option {@code n} takes ({@code irqCpu}: each interrupt's CPU). */
    static int chosenCpu(DecisionTree.Node n, int[] irqCpu) {
        int id = n.ids[n.chosen];
        return id < IRQ_BASE ? id : irqCpu[id - IRQ_BASE];
    }

    /** The whole search: the decision tree of the last execution, and what the walks learnt. */
    final class Search {
        final DecisionTree tree = new DecisionTree();
        /** The CPU of each interrupt, learnt from the options. */
        final int[] irqCpu = new int[64 - IRQ_BASE];
        /** The first depth whose event is new in the next execution (its races are not yet known). */
        int freshFrom;

        DporWalk walk() {
            return new DporWalk(DporPolicy.this, this);
        }

        /** Moves to the next execution; false when the search is done. */
        boolean advance() {
            int at = tree.backtrack(0, top -> next(top, top.backtrack));
            if (at < 0) {
                return false;
            }
            freshFrom = at;
            return true;
        }
    }
}
