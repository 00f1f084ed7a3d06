package org.mmemu.engine.run;

import java.util.IdentityHashMap;
import java.util.Map;
import org.mmemu.core.emu.Access;

/**
 * What an execution's future depends on, as a 128-bit key kept incrementally: the state-merging
 * half of the {@code irq} search (docs/ARCHITECTURE.md §3, "State merging").
 *
 * <pre>
 * Why this is the state
 *
 * Every CPU is a deterministic program: what it does next depends only on the values its steps
 * have observed so far. A value observed is the one the last write to that field left, so a
 * CPU's whole local state (its position, its locals, the objects it allocated, its recent
 * steps) is fixed by the list of its events and, for each, which write it observed. The memory
 * is fixed by the same thing: the value of a field is the last write to it, and what a write
 * stores is fixed by its writer's local state, or for a read-modify-write by that and the write
 * before it. So two prefixes whose events are the same set, each event naming the same earlier
 * write of each field it touches (reads-from for loads, the write before for stores), leave the
 * same memory and the same CPUs behind. That set is what this class hashes.
 *
 * An event is named by (CPU, its index among that CPU's events), which is the same object in
 * every execution of one program, unlike the Java objects a step touches. Its hash mixes the
 * CPU, the index, the access, the field and the names of the writes it observed; the key is the
 * sum of the events' hashes, in two 64-bit lanes with independent mixing, so it is independent
 * of the order in which independent events happened and costs O(1) per step.
 *
 * What it trusts: that a step's declared footprint (target, field, access) covers what the
 * operation after it reads and writes, the same trust partial-order reduction places in it;
 * folded filler work touches nothing another CPU reaches (Cpu#foldBegin). What it does not
 * key, the scheduler keys (IrqScheduler's turn, starts and slips) or the policy compares
 * (the preemption budget and the rows left against max-steps, by dominance).
 *
 * Collision: two different event sets collide with probability about 2^-128 per pair, so over
 * a search of n distinct states about n^2 / 2^129: for a million states, 1e-27.
 * </pre>
 */
final class TraceKey {
    private static final long SEED_HI = 0x9E3779B97F4A7C15L;
    private static final long SEED_LO = 0xC2B2AE3D27D4EB4FL;
    private static final long NONE = -1;

    /** The last write of each field of one target. */
    private static final class Writers {
        int[] fields = new int[2];
        long[] writers = new long[2];
        int n;

        /** Sums the names of the writes that field {@code f} overlaps (order-free). */
        long observed(int f) {
            long sum = 0;
            boolean any = false;
            for (int i = 0; i < n; i++) {
                if (Access.sameField(fields[i], f)) {
                    sum += mix(writers[i] ^ 0x5851F42D4C957F2DL);
                    any = true;
                }
            }
            return any ? sum : NONE;
        }

        /** Records {@code w} as the last write of {@code f}, dropping the writes it covers. */
        void write(int f, long w) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (!Access.contains(f, fields[i])) {
                    fields[k] = fields[i];
                    writers[k++] = writers[i];
                }
            }
            n = k;
            if (n == fields.length) {
                fields = java.util.Arrays.copyOf(fields, n * 2);
                writers = java.util.Arrays.copyOf(writers, n * 2);
            }
            fields[n] = f;
            writers[n++] = w;
        }
    }

    private final int[] index;
    private final Map<Object, Writers> last = new IdentityHashMap<>();
    /** {@link KeyMutation#DROP_CPU0_POSITION}: CPU 0's events are not keyed (tests only). */
    private final boolean dropCpu0;
    private long hi;
    private long lo;

    TraceKey(int cpus, boolean dropCpu0) {
        this.index = new int[cpus];
        this.dropCpu0 = dropCpu0;
    }

    /** A step of {@code cpu}, granted: it observes the last writes of its field, and may write it. */
    void step(int cpu, Object target, int field, Access access) {
        long self = name(cpu);
        if (access == Access.LOCAL || target == null) {
            add(self, access.ordinal(), 0);
            return;
        }
        Writers w = last.computeIfAbsent(target, t -> new Writers());
        add(self, access.ordinal() * 131L + field, w.observed(field));
        if (access.writes()) {
            w.write(field, self);
        }
    }

    /** Interrupt {@code irq} arrives on {@code cpu}, its handler given {@code duration} steps. */
    void irq(int cpu, int irq, int duration) {
        add(name(cpu), 1000L + irq * 1009L + duration, 0);
    }

    /** The busy handler on {@code cpu} returns early. */
    void end(int cpu) {
        add(name(cpu), 999L, 0);
    }

    long hi() {
        return hi;
    }

    long lo() {
        return lo;
    }

    /** The next event of {@code cpu}: CPU in the top bits, its index below. */
    private long name(int cpu) {
        return ((long) cpu << 40) | index[cpu]++;
    }

    private void add(long self, long what, long observed) {
        if (dropCpu0 && self >>> 40 == 0) {
            return; // the mutation: CPU 0's own events, and so its position, left out
        }
        hi += mix(mix(self ^ SEED_HI) + 31 * mix(what + SEED_LO) + mix(observed ^ 0x2545F4914F6CDD1DL));
        lo += mix2(mix2(self + SEED_LO) * 7 + mix2(what ^ SEED_HI) * 3 + mix2(observed + 0x2545F4914F6CDD1DL));
    }

    /** SplitMix64's finaliser (Steele, Lea, Flood, OOPSLA 2014). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Murmur3's fmix64, an independent second lane. */
    private static long mix2(long z) {
        z ^= z >>> 33;
        z *= 0xFF51AFD7ED558CCDL;
        z ^= z >>> 33;
        z *= 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
