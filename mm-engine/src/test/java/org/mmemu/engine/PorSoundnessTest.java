package org.mmemu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.engine.control.Explorer;

/**
 * Partial-order reduction must not lose a reachable final state, with or without a preemption
 * bound: on random small programs (loads, read-modify-writes and lock sections on two words),
 * the set of final states reached with reduction equals the set reached without it, under
 * preemption bounds 0, 1 and 2 (where a naive combination of sleep sets and bounds fails).
 */
class PorSoundnessTest {
    private static final long SEED = 7;
    private static final Site OP = Site.of("random", "op");

    /** Machine state: two words and a lock. */
    static final class State {
        final long[] words = new long[2];
        final SpinLock lock = new SpinLock("l");
    }

    private static Program random(int[][][] ops, Set<String> finals) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(ops.length, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                State s = m.extension(State.class, x -> new State());
                long r = cpu.id() + 1;
                for (int[] op : ops[cpu.id()]) {
                    int w = op[1];
                    // word 0 is its own target; word 1 shares the lock's, so lock and word ops are dependent
                    switch (op[0]) {
                        case 0 -> {
                            cpu.step(OP, w == 0 ? s : s.lock, Access.READ);
                            r = r * 31 + s.words[w];
                        }
                        case 1 -> {
                            cpu.step(OP, w == 0 ? s : s.lock, Access.WRITE);
                            s.words[w] = s.words[w] * 7 + r;
                        }
                        default -> {
                            s.lock.spinLock(cpu);
                            cpu.step(OP, w == 0 ? s : s.lock, Access.WRITE);
                            s.words[w] = s.words[w] * 3 + r;
                            s.lock.spinUnlock(cpu);
                        }
                    }
                }
                perCpu(m, cpu)[0] = r;
            }

            @Override
            public void atQuiescence(Machine m) {
                State s = m.extension(State.class, x -> new State());
                StringBuilder b = new StringBuilder(Arrays.toString(s.words));
                for (Cpu c : m.cpus()) {
                    b.append(' ').append(perCpu(m, c)[0]);
                }
                finals.add(b.toString());
            }
        };
    }

    private static long[] perCpu(Machine m, Cpu c) {
        return c.perCpu(PorSoundnessTest.class, x -> new long[1]);
    }

    @Test
    void reductionKeepsEveryFinalState() {
        SplittableRandom rng = new SplittableRandom(SEED);
        System.out.println("por soundness seed " + SEED);
        long reducedRuns = 0;
        long fullRuns = 0;
        for (int program = 0; program < 16; program++) {
            int cpus = program % 3 == 0 ? 3 : 2;
            int len = cpus == 3 ? 2 : 3;
            int[][][] ops = new int[cpus][len][];
            for (int c = 0; c < cpus; c++) {
                for (int i = 0; i < len; i++) {
                    ops[c][i] = new int[] {rng.nextInt(3), rng.nextInt(2)};
                }
            }
            if (program == 0) {
                // the regression: cpu0's unlock put to sleep while cpu1 runs up to the same lock
                ops = new int[][][] {{{1, 1}, {2, 0}, {1, 0}}, {{1, 0}, {0, 0}, {2, 0}}};
            }
            for (int bound : new int[] {0, 1, 2}) {
                Set<String> full = ConcurrentHashMap.newKeySet();
                Set<String> reduced = ConcurrentHashMap.newKeySet();
                ExploreOptions o = ExploreOptions.defaults().withPreemptionBound(bound).withShrink(false);
                ExploreResult f = Explorer.explore(random(ops, full), o.withPor(false));
                ExploreResult r = Explorer.explore(random(ops, reduced), o);
                assertThat(f.complete()).isTrue();
                assertThat(r.complete()).isTrue();
                assertThat(reduced).as("program %s, bound %d", Arrays.deepToString(ops), bound).isEqualTo(full);
                reducedRuns += r.schedules();
                fullRuns += f.schedules();
            }
        }
        System.out.println("schedules with reduction " + reducedRuns + ", without " + fullRuns);
        assertThat(reducedRuns).isLessThan(fullRuns);
    }
}
