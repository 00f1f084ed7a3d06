package org.mmemu.engine.search;

import static org.mmemu.engine.search.DporPolicy.IRQ_BASE;
import static org.mmemu.engine.search.DporPolicy.bit;
import static org.mmemu.engine.search.DporPolicy.idOf;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.core.emu.Access;
import org.mmemu.engine.delay.Chooser;
import org.mmemu.engine.delay.Decision;
import org.mmemu.engine.delay.Option;
import org.mmemu.engine.hb.Footprint;
import org.mmemu.engine.hb.VectorClock;

/**
 * One execution of {@link DporPolicy}: replays the search's path, extends it, and finds the races
 * on the way. Each event gets a {@link VectorClock} (program order plus the order of dependent
 * events); each new event's races with earlier events are reversed by adding the initials of
 * {@code notdep(e).e'} to the backtrack set of the point before e (see the policy's essay).
 */
final class DporWalk implements Chooser {
    /** One event of the current execution. */
    private record Event(int cpu, int seq, int id, Access access, int field, VectorClock clock) {
    }

    private final DporPolicy policy;
    private final DporPolicy.Search s;
    private final List<Event> events = new ArrayList<>();
    private final Map<Object, List<Integer>> accesses = new IdentityHashMap<>();
    private VectorClock[] clocks;
    private long sleep;
    private int cost;

    DporWalk(DporPolicy policy, DporPolicy.Search s) {
        this.policy = policy;
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
        DecisionTree.Node node;
        if (depth < s.tree.depth()) {
            node = s.tree.at(depth);
            if (node.ids.length != ops.size() || node.ids[node.chosen] != idOf(ops.get(node.chosen))) {
                throw new IllegalStateException("the program is not deterministic: decision point " + depth
                        + " changed its options on replay");
            }
        } else {
            node = DporPolicy.node(ops, sleep, cost);
            int i = policy.next(node, -1L);
            if (i < 0) {
                return -1;
            }
            node.take(i);
            s.tree.push(node);
        }
        for (Option op : ops) {
            if (op.kind() == Option.Kind.IRQ) {
                s.irqCpu[op.irq()] = op.cpu();
            }
        }
        int i = node.chosen;
        record(d, node, depth >= s.freshFrom);
        sleep = policy.bounded ? 0 : childSleep(d, node);
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
    public void deadlocked(Footprint[] pending) {
        if (clocks == null) {
            return;
        }
        for (int c = 0; c < pending.length; c++) {
            Footprint f = pending[c];
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
    private void record(Decision d, DecisionTree.Node node, boolean fresh) {
        Option op = d.options().get(node.chosen);
        int p = op.cpu();
        VectorClock before = clocks[p];
        VectorClock clock = before.copy();
        int seq = clock.tick(p);
        Footprint f = op.kind() == Option.Kind.STEP ? d.footprints()[p] : null;
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
        DecisionTree.Node node = s.tree.at(at);
        if (!policy.bounded) {
            DporPolicy.addOne(node, initials);
            return;
        }
        DporPolicy.addAll(node, initials);
        for (int j = at - 1; j >= 0; j--) {
            DporPolicy.addAll(s.tree.at(j), initials);
            int cpu = DporPolicy.chosenCpu(s.tree.at(j), s.irqCpu);
            if (j == 0 || cpu != DporPolicy.chosenCpu(s.tree.at(j - 1), s.irqCpu)) {
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
    private long childSleep(Decision d, DecisionTree.Node node) {
        Option x = d.options().get(node.chosen);
        long asleep = (node.sleepIn | node.done) & ~bit(node.ids[node.chosen]);
        Footprint fx = x.kind() == Option.Kind.STEP ? d.footprints()[x.cpu()] : null;
        for (long rest = asleep; rest != 0; rest &= rest - 1) {
            int id = Long.numberOfTrailingZeros(rest);
            int cpu = id < IRQ_BASE ? id : s.irqCpu[id - IRQ_BASE];
            Footprint fy = id < IRQ_BASE ? d.footprints()[id] : null;
            if (cpu == x.cpu() || (fx != null && fy != null && fy.dependsOn(fx))) {
                asleep &= ~bit(id);
            }
        }
        return asleep;
    }
}
