package org.mmemu.engine;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.core.emu.Access;

/**
 * {@code dpor}: every Mazurkiewicz trace of the {@code anywhere} model explored once, by dynamic
 * partial-order reduction with source sets and sleep sets (Abdulla, Aronis, Jonsson and Sagonas,
 * "Optimal dynamic partial order reduction", POPL 2014, Algorithm 1 "source-DPOR").
 *
 * <p><b>Search.</b> Stateless, like {@link ExhaustivePolicy}: the policy keeps the decision
 * points of the last execution ({@link Node}: the options, which of them are to be explored
 * (the backtrack set), which are done, the sleep set on arrival) and every execution replays
 * a prefix of it, then extends it by the first option that is not asleep. While an execution
 * runs, {@link Walk} gives each event a vector clock ({@link VectorClock}: program order plus
 * the order of dependent events) and, for every event past the replayed prefix, finds the
 * earlier events it races with; for each race e ⋖ e' it computes the initials of
 * {@code notdep(e).e'} (the CPUs that can start the reversed race from the state before e) and,
 * unless one of them is already in that point's backtrack or sleep set, adds one. Sleep sets
 * ensure no two complete executions are equivalent; an execution whose every option is asleep
 * is abandoned ({@link RunResult.Outcome#PRUNED}, counted apart). Wakeup trees (the optimal
 * algorithm) were left out: on the shipped scenarios the abandoned executions are a small
 * fraction of the complete ones (see docs/BENCHMARKS.md, section DPOR), so they would save
 * little for their complexity.
 *
 * <p><b>Dependence.</b> Two steps are dependent when they touch overlapping fields of the same
 * target and one writes ({@link Decision.Footprint#dependsOn}, {@link Access#sameField}: a page's
 * count, each flag bit, its list link are apart); {@code LOCK} and {@code UNLOCK} write their
 * lock. A race is looked for only against the last write of the field (or of a field containing
 * it, {@link Access#contains}) and the reads since (earlier accesses happen before that write,
 * so their races are not immediate). Locks need one twist:
 * a {@code LOCK} always follows the previous holder's {@code UNLOCK}, and that pair cannot be
 * reversed (the CPU is not enabled while the lock is held), so a {@code LOCK} races with the
 * previous acquisition instead, before which the lock was free. A CPU whose pending {@code LOCK}
 * is on a held lock is not offered by the model, so it is never chosen; a race whose initials
 * are not enabled at its point (which the lock rule should prevent) falls back to every enabled
 * option there, which is always sound.
 *
 * <p><b>Interrupts.</b> An interrupt's arrival belongs to its CPU: it is an event of that CPU,
 * dependent on all of that CPU's steps and on no other CPU's. Whether the CPU takes its step or
 * the interrupt arrives is a choice internal to the CPU, not a race, so wherever one of the two
 * is taken the other is added to the backtrack set; sleep sets then keep an arrival from being
 * tried again at points that differ only by other CPUs' independent steps. The handler's steps
 * are the CPU's events like any other.
 *
 * <p><b>Bound.</b> With a preemption bound (option costs as in {@link AnywhereScheduler}), the
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
    private static final int IRQ_BASE = 32;

    private final ExploreOptions o;
    private final boolean bounded;
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

    private static long bit(int id) {
        return 1L << id;
    }

    private static int idOf(Option op) {
        if (op.kind() == Option.Kind.STEP && op.cpu() < IRQ_BASE) {
            return op.cpu();
        }
        if (op.kind() == Option.Kind.IRQ && op.irq() < 64 - IRQ_BASE) {
            return IRQ_BASE + op.irq();
        }
        throw new IllegalArgumentException("dpor handles at most " + IRQ_BASE + " CPUs and " + (64 - IRQ_BASE)
                + " interrupts of the anywhere model, not " + op);
    }

    /** A decision point of the last execution, without any object of its machine. */
    private final class Node {
        final int[] ids;
        final int[] cost;
        final long sleepIn;
        final int costIn;
        long backtrack;
        long done;
        int chosen;

        Node(List<Option> options, long sleepIn, int costIn) {
            ids = new int[options.size()];
            cost = new int[options.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = idOf(options.get(i));
                cost[i] = options.get(i).cost();
            }
            this.sleepIn = sleepIn;
            this.costIn = costIn;
        }

        boolean withinBound(int i) {
            boolean within = !bounded || costIn + cost[i] <= o.preemptionBound();
            if (!within) {
                boundCut = true; // complete now means complete within the bound
            }
            return within;
        }

        /** The first option to be explored (in {@code wanted}) that is not done, not asleep and within the bound, or -1. */
        int next(long wanted) {
            for (int i = 0; i < ids.length; i++) {
                long b = bit(ids[i]);
                if ((wanted & b) != 0 && (done & b) == 0 && (sleepIn & b) == 0 && withinBound(i)) {
                    return i;
                }
            }
            return -1;
        }

        void take(int i) {
            chosen = i;
            backtrack |= bit(ids[i]);
            done |= bit(ids[i]);
        }

        /** Adds the options in {@code ids} to the backtrack set; if none is offered here, every option. */
        void addAll(long wanted) {
            long added = 0;
            for (int id : ids) {
                added |= wanted & bit(id);
            }
            if (added == 0) {
                for (int id : ids) {
                    added |= bit(id);
                }
            }
            backtrack |= added;
        }

        /** Source sets: adds one option of {@code initials} unless one is in the backtrack or sleep set already. */
        void addOne(long initials) {
            if ((initials & (backtrack | sleepIn)) != 0) {
                return;
            }
            for (int id : ids) {
                if ((initials & bit(id)) != 0) {
                    backtrack |= bit(id);
                    return;
                }
            }
            addAll(0);
        }

        int chosenCpu(int[] irqCpu) {
            return ids[chosen] < IRQ_BASE ? ids[chosen] : irqCpu[ids[chosen] - IRQ_BASE];
        }
    }

    /** The whole search: the stack of the last execution's decision points. */
    private final class Search {
        final List<Node> stack = new ArrayList<>();
        /** The CPU of each interrupt, learnt from the options. */
        final int[] irqCpu = new int[64 - IRQ_BASE];
        /** The first depth whose event is new in the next execution (its races are not yet known). */
        int freshFrom;

        Walk walk() {
            return new Walk(this);
        }

        /** Moves to the next execution; false when the search is done. */
        boolean advance() {
            while (!stack.isEmpty()) {
                Node top = stack.get(stack.size() - 1);
                int i = top.next(top.backtrack);
                if (i >= 0) {
                    top.take(i);
                    freshFrom = stack.size() - 1;
                    return true;
                }
                stack.remove(stack.size() - 1);
            }
            return false;
        }
    }

    /** One event of the current execution. */
    private record Event(int cpu, int seq, int id, Access access, int field, VectorClock clock) {
    }

    /** The chooser of one execution: replays the stack, extends it, and finds the races on the way. */
    private final class Walk implements Chooser {
        private final Search s;
        private final List<Event> events = new ArrayList<>();
        private final Map<Object, List<Integer>> accesses = new IdentityHashMap<>();
        private VectorClock[] clocks;
        private long sleep;
        private int cost;

        Walk(Search s) {
            this.s = s;
        }

        @Override
        public int choose(Decision d) {
            int depth = events.size();
            if (clocks == null) {
                clocks = new VectorClock[d.footprints().length];
                for (int c = 0; c < clocks.length; c++) {
                    clocks[c] = new VectorClock(clocks.length);
                }
            }
            List<Option> ops = d.options();
            Node node;
            if (depth < s.stack.size()) {
                node = s.stack.get(depth);
                if (node.ids.length != ops.size() || node.ids[node.chosen] != idOf(ops.get(node.chosen))) {
                    throw new IllegalStateException("the program is not deterministic: decision point " + depth
                            + " changed its options on replay");
                }
            } else {
                node = new Node(ops, sleep, cost);
                int i = node.next(-1L);
                if (i < 0) {
                    return -1;
                }
                node.take(i);
                s.stack.add(node);
            }
            for (Option op : ops) {
                if (op.kind() == Option.Kind.IRQ) {
                    s.irqCpu[op.irq()] = op.cpu();
                }
            }
            int i = node.chosen;
            record(d, node, depth >= s.freshFrom);
            sleep = bounded ? 0 : childSleep(d, node);
            cost = node.costIn + node.cost[i];
            return i;
        }

        /**
         * Every unfinished CPU waits for a lock. Each blocked {@code LOCK} would race with the
         * holder's acquisition of that lock had it come first; as it never became an event,
         * reverse that race here (the ABBA deadlock's other order is found this way: in the
         * deadlocked execution the second CPU's attempt on the first lock is only pending).
         */
        @Override
        public void deadlocked(Decision.Footprint[] pending) {
            if (clocks == null) {
                return;
            }
            for (int c = 0; c < pending.length; c++) {
                Decision.Footprint f = pending[c];
                if (f == null || f.access() != Access.LOCK || f.target() == null) {
                    continue;
                }
                List<Integer> history = accesses.get(f.target());
                if (history == null) {
                    continue;
                }
                for (int k = history.size() - 1; k >= 0; k--) {
                    Event a = events.get(history.get(k));
                    if (a.access() == Access.LOCK) {
                        if (a.cpu() != c && !clocks[c].covers(a.cpu(), a.seq())) {
                            VectorClock clock = clocks[c].copy();
                            clock.tick(c);
                            clock.join(a.clock());
                            reverse(history.get(k), c, clock);
                        }
                        break;
                    }
                }
            }
        }

        /** Gives the chosen event its clock and, when it is new, reverses its races. */
        private void record(Decision d, Node node, boolean fresh) {
            Option op = d.options().get(node.chosen);
            int p = op.cpu();
            VectorClock before = clocks[p];
            VectorClock clock = before.copy();
            int seq = clock.tick(p);
            Decision.Footprint f = op.kind() == Option.Kind.STEP ? d.footprints()[p] : null;
            List<Integer> history = null;
            if (f != null && f.target() != null && f.access() != Access.LOCAL) {
                history = accesses.computeIfAbsent(f.target(), t -> new ArrayList<>());
                for (int k = history.size() - 1; k >= 0; k--) {
                    Event a = events.get(history.get(k));
                    if (!Access.sameField(a.field(), f.field())) {
                        continue;
                    }
                    if (a.access().writes()) {
                        clock.join(a.clock());
                        if (Access.contains(a.field(), f.field())) {
                            break;
                        }
                    } else if (f.access().writes()) {
                        clock.join(a.clock());
                    }
                }
                if (fresh) {
                    races(history, p, f.access(), f.field(), before, clock);
                }
            }
            if (fresh) {
                // the CPU's step and its interrupts' arrivals are alternatives of one CPU
                long same = 0;
                for (Option other : d.options()) {
                    if (other.cpu() == p) {
                        same |= bit(idOf(other));
                    }
                }
                node.backtrack |= same & ~bit(node.ids[node.chosen]);
            }
            events.add(new Event(p, seq, node.ids[node.chosen], f == null ? null : f.access(),
                    f == null ? Access.WHOLE : f.field(), clock));
            clocks[p] = clock;
            if (history != null) {
                history.add(events.size() - 1);
            }
        }

        /** Finds the events the new event of {@code p} races with, and reverses each. */
        private void races(List<Integer> history, int p, Access access, int field, VectorClock before,
                           VectorClock clock) {
            for (int k = history.size() - 1; k >= 0; k--) {
                int at = history.get(k);
                Event a = events.get(at);
                if (!Access.sameField(a.field(), field)) {
                    continue;
                }
                boolean concurrent = a.cpu() != p && !before.covers(a.cpu(), a.seq());
                if (a.access().writes()) {
                    if (access == Access.LOCK && a.access() == Access.UNLOCK) {
                        continue;
                    }
                    if (concurrent) {
                        reverse(at, p, clock);
                    }
                    if (Access.contains(a.field(), field)) {
                        return;
                    }
                    continue;
                }
                if (access.writes() && concurrent) {
                    reverse(at, p, clock);
                }
            }
        }

        /**
         * Reverses the race between the event at {@code at} and the new event of {@code p} (with
         * {@code clock}): the initials of {@code notdep(e).e'} go into the backtrack set before e.
         */
        private void reverse(int at, int p, VectorClock clock) {
            Event e = events.get(at);
            int[] first = new int[clocks.length];
            long initials = 0;
            for (int k = at + 1; k < events.size(); k++) {
                Event u = events.get(k);
                if (u.clock().covers(e.cpu(), e.seq()) || first[u.cpu()] != 0) {
                    continue;
                }
                if (noneBefore(u.clock(), first)) {
                    initials |= bit(u.id());
                }
                first[u.cpu()] = u.seq();
            }
            if (first[p] == 0 && noneBefore(clock, first)) {
                initials |= bit(p);
            }
            Node node = s.stack.get(at);
            if (!bounded) {
                node.addOne(initials);
                return;
            }
            node.addAll(initials);
            for (int j = at - 1; j >= 0; j--) {
                s.stack.get(j).addAll(initials);
                if (j == 0 || s.stack.get(j).chosenCpu(s.irqCpu) != s.stack.get(j - 1).chosenCpu(s.irqCpu)) {
                    return;
                }
            }
        }

        /** Whether no event of {@code v} (first event numbers per CPU, 0 for none) happens before {@code c}. */
        private static boolean noneBefore(VectorClock c, int[] first) {
            for (int q = 0; q < first.length; q++) {
                if (first[q] != 0 && c.covers(q, first[q])) {
                    return false;
                }
            }
            return true;
        }

        /** The sleep set after the chosen option: what was explored here and sleeps on, minus what it wakes. */
        private long childSleep(Decision d, Node node) {
            Option x = d.options().get(node.chosen);
            long asleep = (node.sleepIn | node.done) & ~bit(node.ids[node.chosen]);
            Decision.Footprint fx = x.kind() == Option.Kind.STEP ? d.footprints()[x.cpu()] : null;
            for (long rest = asleep; rest != 0; rest &= rest - 1) {
                int id = Long.numberOfTrailingZeros(rest);
                int cpu = id < IRQ_BASE ? id : s.irqCpu[id - IRQ_BASE];
                Decision.Footprint fy = id < IRQ_BASE ? d.footprints()[id] : null;
                if (cpu == x.cpu() || (fx != null && fy != null && fy.dependsOn(fx))) {
                    asleep &= ~bit(id);
                }
            }
            return asleep;
        }
    }
}
