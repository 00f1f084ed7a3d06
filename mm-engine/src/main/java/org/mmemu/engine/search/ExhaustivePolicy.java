package org.mmemu.engine.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.delay.Chooser;
import org.mmemu.engine.delay.Decision;
import org.mmemu.engine.delay.Option;
import org.mmemu.engine.hb.Footprint;

/**
 * {@code exhaustive}: stateless depth-first search over schedules with a preemption bound, in the
 * manner of CHESS (Musuvathi and Qadeer, "Iterative context bounding for systematic testing of
 * multithreaded programs", PLDI 2007), with partial-order reduction by sleep sets (Godefroid,
 * "Partial-Order Methods for the Verification of Concurrent Systems", LNCS 1032, 1996).
 *
 * <p><b>Search.</b> Every execution is replayed from the start: the policy keeps the decision
 * points of the last execution ({@link DecisionTree}, shared with {@link DporPolicy}: for each, the
 * options' costs, which was taken) and backtracks to the deepest one with an option left that the
 * bound allows. Options are tried in their order, so the path of option indices of an execution is
 * its position in the depth-first order; that path is the execution's key. Programs must be
 * deterministic given the choices; a decision point that changes shape on replay is reported as an
 * error.
 *
 * <p><b>Bound.</b> An option costs 1 when it switches away from a CPU that could have gone on
 * (or, in the {@code irq} model, is a slip); a path may spend at most the preemption bound.
 * Interrupt arrivals are bounded by each spec's {@code max} instead.
 *
 * <p><b>Reduction, and why it is sound under the bound.</b> Two steps are dependent when they have
 * the same target and one of them writes (LOCK and UNLOCK write, so operations on one lock always
 * are); an interrupt arrival is dependent only on its own CPU's steps. After the subtree of option
 * 0 at a decision point has been explored, that option is put to sleep in the subtrees of the later
 * options, and stays asleep until a dependent step runs; an execution whose every remaining option
 * is asleep is abandoned ({@link org.mmemu.engine.RunResult.Outcome#PRUNED}). Plain sleep sets are
 * sound for the unbounded space, but with a bound the equivalent execution that covers a pruned one
 * must also be within the bound. So only a <em>continuation</em> is ever put to sleep: option 0
 * when it is the step of the CPU that ran last. Moving that step forward to where its CPU was
 * running never adds a preemption: with σ = t2·u·t1·v pruned and σ' = t1·t2·u·v explored, the
 * switch into t2 costs at most what it cost in σ, the switches inside u cost no more, and the one
 * switch from u's last CPU to v's first costs at most what the two switches around t1 cost in σ.
 * "No more" needs care: a switch costs 1 only when the CPU left could go on, and moving t1 forward
 * changes who can go on during u exactly when t1 is a lock operation. Taking a lock earlier only
 * makes CPUs wait (cheaper); releasing it earlier lets a waiting CPU go on sooner, which can add a
 * preemption (a randomized test found that case: a CPU blocked on the lock at the end of u). So a
 * continuation that is an {@link org.mmemu.core.emu.Access#UNLOCK} is never put to sleep. The
 * initial choice of a CPU costs nothing and so is never put to sleep. Targets are compared by
 * identity within one execution; nothing of one execution's objects is kept for the next.
 *
 * <p><b>Units.</b> For threads and shards the tree is cut into subtrees: the default path of the
 * tree (and, with two levels, of each subtree hanging off it) is probed once, and every option
 * left along it becomes a unit whose path prefix is fixed. The units partition the tree, so any
 * split runs the same executions as the whole search.
 */
final class ExhaustivePolicy implements SchedulePolicy {
    static final String NAME = "exhaustive";
    private final ExploreOptions o;
    private List<int[]> units = List.of(new int[0]);
    /** Parts of running units for workers that ran out ({@link #runUnits}); null before. */
    private volatile SplitQueue splits;
    /** Set once the bound has kept an option out (a benign race: only ever set to true). */
    private volatile boolean boundCut;
    /** The states explored, when this search merges them ({@code irq} model); else null. */
    private VisitedStates visited;
    /** States the earlier rounds had recorded ({@link #continueFrom}). */
    private long visitedBefore;
    /** Executions this round cut at a state explored already. */
    private final LongAdder merged = new LongAdder();

    ExhaustivePolicy(ExploreOptions o) {
        this.o = o;
        this.visited = o.merging() ? new VisitedStates() : null;
    }

    /**
     * A state the earlier round explored with at least the budget a path of this round has left
     * at it covers that path: the earlier round's subtree from there, run to its end, explored
     * everything the path still could. So each round cuts at once the paths that spend a
     * preemption to reach what the last round reached for free. The earlier round's bound cut
     * carries over: "complete" then means within this round's bound, never more.
     */
    @Override
    public void continueFrom(SchedulePolicy earlier) {
        if (earlier instanceof ExhaustivePolicy e && e.visited != null && visited != null) {
            visited = e.visited;
            visitedBefore = visited.distinct();
            boundCut |= e.boundCut;
        }
    }

    /**
     * What a path has spent, as the visited set compares it: the budget left is what the round's
     * bound leaves after {@code cost}, so rounds of different bounds compare (0 with no bound;
     * 64, the largest bound, minus what is left otherwise).
     */
    private int spent(int cost) {
        return o.preemptionBound() < 0 ? 0 : 64 - (o.preemptionBound() - cost);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String origin() {
        return "stateless DFS with preemption bound " + o.preemptionBound() + " (CHESS, PLDI 2007)"
                + (o.por() && o.delays() == DelayModel.ANYWHERE ? " and sleep-set reduction" : "")
                + (visited != null ? " and state merging" : "");
    }

    @Override
    public int plan(Runner runner) {
        int levels = o.threads() <= 1 && o.shards() <= 1 ? 0 : 2;
        List<int[]> level = List.of(new int[0]);
        // a second level only while the first leaves few units: along a long default path (a
        // livelock runs to max-steps) each decision is a unit, and probing each of them again
        // would multiply them past memory; the units partition the tree either way
        for (int l = 0; l < levels && level.size() < 512; l++) {
            List<int[]> next = new ArrayList<>();
            for (int[] prefix : level) {
                if (runner.stopping()) {
                    next.add(prefix);
                    continue;
                }
                Dfs dfs = new Dfs(prefix);
                runner.probe(dfs.walk(false));
                int[] path = dfs.path();
                next.add(path);
                for (int d = prefix.length; d < dfs.tree.depth(); d++) {
                    DecisionTree.Node node = dfs.tree.at(d);
                    for (int j = next(node, node.chosen + 1); j >= 0; j = next(node, j + 1)) {
                        int[] child = Arrays.copyOf(path, d + 1);
                        child[d] = j;
                        next.add(child);
                    }
                }
            }
            level = next;
        }
        units = level;
        return units.size();
    }

    @Override
    public void runUnit(int unit, Runner runner) {
        run(new Dfs(units.get(unit)), runner);
    }

    /** The units {@code next} hands out, then parts of the units other workers run ({@link SplitQueue}). */
    @Override
    public void runUnits(IntSupplier next, int workers, Runner runner) {
        SplitQueue q = splits(workers);
        boolean ranOut = false;
        try {
            for (int u = next.getAsInt(); u >= 0 && !runner.stopping(); u = next.getAsInt()) {
                run(new Dfs(units.get(u)), runner);
            }
            for (int[] part = q.take(); part != null; part = q.take()) {
                run(new Dfs(part), runner);
            }
            ranOut = true;
        } finally {
            if (!ranOut) {
                q.quit(); // failed: the other workers must not wait for it
            }
        }
    }

    /** Units given to workers that had run out, so far. */
    long unitsSplit() {
        SplitQueue q = splits;
        return q == null ? 0 : q.given();
    }

    private synchronized SplitQueue splits(int workers) {
        if (splits == null) {
            splits = new SplitQueue(workers);
        }
        return splits;
    }

    /** Runs {@code dfs}'s executions, giving part of it away whenever a worker waits for one. */
    private void run(Dfs dfs, Runner runner) {
        SplitQueue q = splits;
        do {
            Walk w = dfs.walk(visited != null);
            if (runner.run(w, dfs::path) == null) {
                return;
            }
        } while (dfs.advance() && (q == null || !q.wanted() || dfs.giveTo(q)));
    }

    @Override
    public boolean exhaustive() {
        return true;
    }

    @Override
    public boolean boundCut() {
        return boundCut;
    }

    @Override
    public long distinctStates() {
        return visited == null ? 0 : visited.distinct() - visitedBefore;
    }

    @Override
    public long merged() {
        return merged.sum();
    }

    /** A decision point for {@code d}: each option's identity is its CPU if it is a step (what sleeps). */
    private static DecisionTree.Node node(Decision d, long sleepIn, int costIn) {
        int n = d.options().size();
        int[] ids = new int[n];
        int[] cost = new int[n];
        int[] slip = new int[n];
        for (int i = 0; i < n; i++) {
            Option op = d.options().get(i);
            cost[i] = op.cost();
            ids[i] = op.kind() == Option.Kind.STEP ? op.cpu() : -1;
            slip[i] = op.kind() == Option.Kind.SLIP ? op.slip() : 0;
        }
        DecisionTree.Node node = new DecisionTree.Node(ids, cost, sleepIn, costIn);
        node.slip = slip;
        return node;
    }

    /**
     * The first option of {@code node} from {@code from} on that the bound allows, that is not
     * asleep and that is no slip its window shows redundant, or -1.
     */
    private int next(DecisionTree.Node node, int from) {
        for (int j = from; j < Math.min(node.options(), node.limit); j++) {
            // a slip its window shows redundant, with every further slip of the same step the
            // budget left after it allows
            if (node.window != null && o.preemptionBound() >= 0 && node.window.redundant(node.slip[j], o.skew(),
                    o.preemptionBound() - node.costIn - node.cost[j])) {
                continue;
            }
            boolean withinBound = node.withinBound(j, o.preemptionBound());
            if (withinBound && !node.asleep(j)) {
                return j;
            }
            if (!withinBound && !boundCut) {
                boundCut = true;
            }
        }
        return -1;
    }

    /** The search of one unit: the decision tree below the unit's fixed prefix. */
    private final class Dfs {
        final int[] prefix;
        final DecisionTree tree = new DecisionTree();

        Dfs(int[] prefix) {
            this.prefix = prefix;
        }

        /** An execution of this unit; {@code merging}: cut it at a state explored already (not for probes). */
        Walk walk(boolean merging) {
            return new Walk(this, merging);
        }

        int[] path() {
            return tree.choices();
        }

        /**
         * Gives {@code q} the untried options of the shallowest decision below the fixed prefix
         * that has any, each as a unit with the current path to it as its prefix; this unit then
         * takes none of them. Returns true (the caller goes on with its next execution).
         */
        boolean giveTo(SplitQueue q) {
            int[] path = path();
            for (int d = prefix.length; d < tree.depth(); d++) {
                DecisionTree.Node node = tree.at(d);
                List<int[]> parts = new ArrayList<>();
                for (int j = next(node, node.chosen + 1); j >= 0; j = next(node, j + 1)) {
                    int[] child = Arrays.copyOf(path, d + 1);
                    child[d] = j;
                    parts.add(child);
                }
                if (!parts.isEmpty()) {
                    if (q.give(parts)) {
                        node.limit = node.chosen + 1;
                    }
                    return true;
                }
            }
            return true;
        }

        /** Moves to the next execution of this unit; false when the unit is done. */
        boolean advance() {
            return tree.backtrack(prefix.length, top -> next(top, top.chosen + 1)) >= 0;
        }
    }

    /** The chooser of one execution: replays the stack, then takes the first option allowed. */
    private final class Walk implements Chooser {
        private final Dfs dfs;
        private final boolean por = o.por() && o.delays() == DelayModel.ANYWHERE;
        private final boolean merging;
        private int depth;
        private long sleep;
        private int cost;

        Walk(Dfs dfs, boolean merging) {
            this.dfs = dfs;
            this.merging = merging;
        }

        @Override
        public boolean merges() {
            return merging;
        }

        /** Only the sleep sets of {@code anywhere} read the footprints. */
        @Override
        public boolean wantsFootprints() {
            return por;
        }

        @Override
        public boolean wantsKey() {
            return merging && depth >= dfs.tree.depth() && depth >= dfs.prefix.length;
        }

        @Override
        public int choose(Decision d) {
            DecisionTree.Node node;
            if (depth < dfs.tree.depth()) {
                node = dfs.tree.at(depth);
                if (node.options() != d.options().size()) {
                    throw new IllegalStateException("the program is not deterministic: decision point " + depth
                            + " had " + node.options() + " options and now has " + d.options().size());
                }
            } else {
                node = node(d, sleep, cost);
                node.window = d.window();
                // a new decision point past the unit's fixed prefix (inside it, the unit takes
                // one option of the state only, so it may neither cut there nor claim the state).
                // Also where the bound leaves no choice: a path that has spent its budget is
                // where most paths meet one explored already, and is cut there.
                if (merging && d.key() != null && depth >= dfs.prefix.length
                        && !visited.visit(d.key(), spent(cost), d.step())) {
                    merged.increment();
                    return -1;
                }
                node.chosen = depth < dfs.prefix.length ? dfs.prefix[depth] : next(node, 0);
                if (node.chosen < 0) {
                    return -1;
                }
                if ((node.chosen != 0 || d.options().get(0).kind() != Option.Kind.STEP)
                        && (node.window == null || !node.window.knownAtDecision())) {
                    node.window = null; // filled by a run that did not take the step at once
                }
                dfs.tree.push(node);
            }
            depth++;
            int i = node.chosen;
            cost = node.costIn + node.cost[i];
            sleep = por ? childSleep(d, node, i) : 0;
            return i;
        }

        private long childSleep(Decision d, DecisionTree.Node node, int i) {
            long s = node.sleepIn;
            Option first = d.options().get(0);
            if (d.continuation() && i > 0 && first.access() != org.mmemu.core.emu.Access.UNLOCK) {
                s |= 1L << first.cpu();
            }
            Option taken = d.options().get(i);
            s &= ~(1L << taken.cpu());
            if (taken.kind() == Option.Kind.STEP && s != 0) {
                Footprint f = d.footprints()[taken.cpu()];
                for (int c = 0; c < d.footprints().length; c++) {
                    if ((s & (1L << c)) != 0 && d.footprints()[c].dependsOn(f)) {
                        s &= ~(1L << c);
                    }
                }
            }
            return s;
        }
    }
}
