package org.mmemu.engine.run;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.engine.Program;

/**
 * Livelock detection for the controlled engine: CPUs that keep taking steps while nothing
 * changes.
 *
 * <pre>
 * Why the engine needs it
 *
 * Before 2.5.39, shrink_cache()'s batch loop counted only the pages it took, and before 2.6.0
 * refill_inactive_zone()'s did too: a page whose count is zero is put back at the head of the
 * list and the loop goes on. On a list that holds nothing else the loop meets the same page
 * again and again, with zone->lru_lock held and irqs off, while the CPU whose release made the
 * count zero spins on that very lock. Nothing will ever change. Without a detector such a run
 * only ends at the step bound, which says nothing; with it the run ends in a finding that
 * names the looping CPU, the lock, the waiting CPUs and the repeating steps.
 *
 * The rule
 *
 * A CPU is looping when its last granted steps are R repetitions of the same sequence of
 * (site, target) pairs, R the program's threshold, and the state of every target of that
 * sequence (a page's count, flags and list links; a list head's links; a lock's owner) is the
 * same at the start of each repetition. A livelock is a looping CPU while every other CPU is
 * done, spinning on a held lock, or looping too, and no interrupt with a handler can arrive.
 * Steps in an interrupt handler never count (a handler ends; a busy one repeats one step).
 * A loop whose body takes or drops a lock, or writes a target whose state the detector cannot
 * read, never counts: either may let another CPU in.
 *
 * What it cannot see is a loop's local variables: a loop bounded by a counter (2.5.39's
 * nr_scan) may repeat the same steps over the same state up to its bound before it leaves.
 * The threshold is therefore larger than any such bound (the default, 64, is twice
 * SWAP_CLUSTER_MAX); a scenario with a larger cluster raises it.
 * </pre>
 */
final class LivelockDetector {
    /** Repetitions that make a loop, unless the program says otherwise. */
    static final int DEFAULT_REPEATS = Program.DEFAULT_LIVELOCK_REPEATS;
    /** The longest loop body, in steps, that is looked for. */
    static final int MAX_PERIOD = 48;

    /** What the detector needs to know of the other CPUs. */
    interface View {
        int cpus();

        boolean done(int cpu);

        /** Whether the CPU's pending step is an attempt on a held lock. */
        boolean blocked(int cpu);

        /** Whether the CPU runs an interrupt handler (which ends: no loop of the CPU's code). */
        boolean inInterrupt(int cpu);

        /** The lock a blocked CPU waits for. */
        SpinLock waitsFor(int cpu);

        /** The site of the CPU's pending step (where a spinning CPU spins). */
        Site pendingSite(int cpu);

        /** Whether an interrupt whose handler runs code (and may change state) can arrive now. */
        boolean handlerMayArrive();
    }

    /** An established livelock: the looping CPUs, with the body of the first one's loop. */
    record Livelock(List<Integer> looping, List<Integer> spinning, List<Site> body, int repeats) {
    }

    private final View view;
    private final Detectors detectors;
    private final int repeats;
    private final Track[] tracks;

    LivelockDetector(View view, Detectors detectors, int repeats) {
        this.view = view;
        this.detectors = detectors;
        this.repeats = Math.max(2, repeats);
        this.tracks = new Track[view.cpus()];
        for (int i = 0; i < tracks.length; i++) {
            tracks[i] = new Track();
        }
    }

    /**
     * A step granted to {@code cpu} (spins are not steps here: they change nothing). Returns
     * the {@link FindingKind#LIVELOCK} finding this step establishes, or null.
     */
    Finding step(int cpu, Site site, Object target, Access access) {
        Track t = tracks[cpu];
        if (view.inInterrupt(cpu)) {
            t.reset(); // a handler's steps are no loop of the code it interrupted
            return null;
        }
        t.push(site, target, access);
        if (!t.advance()) {
            return null;
        }
        Livelock l = established();
        return l == null ? null : finding(l);
    }

    /**
     * Whether no CPU's track remembers the state of a repetition: the one part of this
     * detector's future that the run's events do not fix (state merging, {@link TraceKey}).
     */
    boolean historyFree() {
        for (Track t : tracks) {
            if (t.state != null) {
                return false;
            }
        }
        return true;
    }

    /** The finding: who loops, who spins on which lock held by whom, and the loop's body. */
    Finding finding(Livelock l) {
        StringBuilder msg = new StringBuilder();
        List<Finding.Related> rel = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int c : l.looping()) {
            msg.append(msg.length() == 0 ? "" : "; ").append("cpu").append(c).append(" repeats the same ")
                    .append(tracks[c].period).append(" steps over unchanged state (").append(tracks[c].reps)
                    .append(" times)");
            rel.add(new Finding.Related("loops", c, tracks[c].body().get(0)));
            ids.add(c);
        }
        for (int c : l.spinning()) {
            SpinLock lock = view.waitsFor(c);
            Cpu owner = lock == null ? null : lock.owner();
            msg.append("; cpu").append(c).append(" spins on ").append(lock == null ? "a lock" : lock.name())
                    .append(owner == null ? "" : " held by " + owner);
            rel.add(new Finding.Related("spins on " + (lock == null ? "a lock" : lock.name()), c, view.pendingSite(c)));
            ids.add(c);
        }
        if (l.spinning().isEmpty()) {
            msg.append("; no other CPU can run");
        }
        msg.append(". Loop body: ");
        List<Site> body = l.body();
        for (int i = 0; i < body.size(); i++) {
            msg.append(i == 0 ? "" : " -> ").append(body.get(i));
        }
        int[] a = ids.stream().mapToInt(Integer::intValue).toArray();
        int first = l.looping().get(0);
        return new Finding(FindingKind.LIVELOCK, -1, first, body.get(body.size() - 1), msg.toString(), rel,
                detectors.recentOf(a), "");
    }

    private Livelock established() {
        List<Integer> looping = new ArrayList<>();
        List<Integer> spinning = new ArrayList<>();
        for (int c = 0; c < tracks.length; c++) {
            if (view.done(c)) {
                continue;
            }
            if (tracks[c].reps >= repeats) {
                looping.add(c);
            } else if (view.blocked(c)) {
                spinning.add(c);
            } else {
                return null;
            }
        }
        if (looping.isEmpty() || view.handlerMayArrive()) {
            return null;
        }
        Track first = tracks[looping.get(0)];
        return new Livelock(List.copyOf(looping), List.copyOf(spinning), first.body(), first.reps);
    }

    /** One CPU's recent steps and the loop they may form. */
    private static final class Track {
        /** The smallest power of two above {@code MAX_PERIOD}: a step's slot is a mask away, no division. */
        private static final int RING = Integer.highestOneBit(MAX_PERIOD) << 1;
        private static final int MASK = RING - 1;
        private final Site[] sites = new Site[RING];
        private final Object[] targets = new Object[RING];
        private final Access[] accesses = new Access[RING];
        private long n;
        /** The candidate loop length, 0 if none. */
        private int period;
        /** Consecutive steps equal to the step {@code period} before them. */
        private long matched;
        /** Repetitions seen over the same state. */
        private int reps;
        private List<Object> state;

        void reset() {
            n = 0;
            period = 0;
            reps = 0;
            state = null;
        }

        void push(Site site, Object target, Access access) {
            int i = (int) (n++ & MASK);
            sites[i] = site;
            targets[i] = target;
            accesses[i] = access;
        }

        /** Updates the loop after a push; true when a repetition over unchanged state ended. */
        boolean advance() {
            if (period > 0 && same(1, 1 + period)) {
                matched++;
            } else {
                period = 0;
                reps = 0;
                state = null;
                for (int d = 1; d <= MAX_PERIOD && d < n; d++) {
                    if (same(1, 1 + d)) {
                        period = d;
                        matched = 1;
                        break;
                    }
                }
                return false;
            }
            if (matched % period != 0) {
                return false;
            }
            List<Object> now = snapshot();
            if (now == null) {
                reps = 0;
                state = null;
                return false;
            }
            if (now.equals(state)) {
                reps++;
            } else {
                reps = 1;
                state = now;
            }
            return reps > 1;
        }

        /** Whether the steps {@code a} and {@code b} back (1 = the last) are the same step. */
        private boolean same(int a, int b) {
            int i = (int) ((n - a) & MASK);
            int j = (int) ((n - b) & MASK);
            return targets[i] == targets[j] && (sites[i] == sites[j] || sites[i].equals(sites[j]));
        }

        /** The loop body, oldest step first. */
        List<Site> body() {
            List<Site> b = new ArrayList<>();
            for (int k = period; k >= 1; k--) {
                b.add(sites[(int) ((n - k) & MASK)]);
            }
            return b;
        }

        /** The state of the body's targets, or null if the body locks or writes what cannot be read. */
        private List<Object> snapshot() {
            Map<Object, Boolean> seen = new IdentityHashMap<>();
            List<Object> out = new ArrayList<>();
            for (int k = period; k >= 1; k--) {
                int i = (int) ((n - k) & MASK);
                Access a = accesses[i];
                if (a == Access.LOCK || a == Access.UNLOCK) {
                    return null;
                }
                Object t = targets[i];
                if (t == null || t instanceof Cpu || seen.put(t, Boolean.TRUE) != null) {
                    continue;
                }
                if (!describe(t, out) && a.writes()) {
                    return null;
                }
            }
            return out;
        }

        /** Adds what can change of {@code t}; false if its state cannot be read. */
        private static boolean describe(Object t, List<Object> out) {
            if (t instanceof Page p) {
                out.add(p);
                out.add(p.rawCount());
                out.add(p.flags());
                out.add(p.next());
                out.add(p.prev());
                return true;
            }
            if (t instanceof ListHead h) {
                out.add(h);
                out.add(h.next());
                out.add(h.prev());
                return true;
            }
            if (t instanceof SpinLock l) {
                out.add(l);
                out.add(l.owner());
                return true;
            }
            return false;
        }
    }
}
