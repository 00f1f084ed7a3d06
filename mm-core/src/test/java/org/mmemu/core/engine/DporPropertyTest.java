package org.mmemu.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.sync.SpinLock;

/**
 * {@code dpor} against plain enumeration (every interleaving, no reduction, no bound) on small
 * random programs: 2-3 CPUs, each a few operations on two shared words and two locks (loads,
 * stores, lock sections, nested lock sections in either order, so deadlocks occur). Both must
 * reach the same set of final states and the same kinds of finding, and {@code dpor} must never
 * run more executions. With a preemption bound k, {@code dpor} must reach what the bounded
 * plain enumeration reaches. jqwik prints the seed of a failing case; rerun it with
 * {@code @Property(seed = ...)}.
 */
class DporPropertyTest {
    private static final Site OP = Site.of("random", "op");
    private static final ExploreOptions PLAIN = ExploreOptions.defaults().withPreemptionBound(-1).withPor(false)
            .withShrink(false);
    private static final ExploreOptions DPOR = PLAIN.withPolicy("dpor");

    /** An operation: {@code kind} 0 load, 1 store, 2 lock section, 3 nested lock sections; {@code a}, {@code b} pick words and locks. */
    record Op(int kind, int a, int b) {
        int steps() {
            return switch (kind) {
                case 0, 1 -> 1;
                case 2 -> 3;
                default -> 5;
            };
        }
    }

    /** Machine state: two words and two locks. */
    static final class State {
        final long[] words = new long[2];
        /** What a step on word i touches: a target per word, so steps on different words commute. */
        final TinyPrograms.Word[] cells = {new TinyPrograms.Word("w0"), new TinyPrograms.Word("w1")};
        final SpinLock[] locks = {new SpinLock("l0"), new SpinLock("l1")};
    }

    @Provide
    Arbitrary<List<List<Op>>> programs() {
        Arbitrary<Op> op = Arbitraries.integers().between(0, 3).flatMap(k -> Arbitraries.integers().between(0, 1)
                .flatMap(a -> Arbitraries.integers().between(0, 1).map(b -> new Op(k, a, b))));
        return Arbitraries.integers().between(2, 3).flatMap(cpus -> op.list().ofMinSize(1).ofMaxSize(3)
                .list().ofSize(cpus))
                .filter(p -> p.stream().flatMap(List::stream).mapToInt(Op::steps).sum() <= (p.size() == 3 ? 8 : 10));
    }

    @Property(tries = 60)
    void dporReachesWhatPlainEnumerationReaches(@ForAll("programs") List<List<Op>> ops) {
        Outcome plain = explore(ops, PLAIN);
        Outcome dpor = explore(ops, DPOR);
        assertThat(dpor.result.complete()).isTrue();
        assertThat(dpor.finals).as("final states of %s", ops).isEqualTo(plain.finals);
        assertThat(dpor.kinds()).as("finding kinds of %s", ops).isEqualTo(plain.kinds());
        assertThat(dpor.result.schedules() + dpor.result.pruned()).isLessThanOrEqualTo(plain.result.schedules());
    }

    @Property(tries = 30)
    void boundedDporReachesWhatBoundedEnumerationReaches(@ForAll("programs") List<List<Op>> ops) {
        for (int bound = 0; bound <= 2; bound++) {
            Outcome plain = explore(ops, PLAIN.withPreemptionBound(bound));
            Outcome dpor = explore(ops, DPOR.withPreemptionBound(bound));
            assertThat(dpor.result.complete()).isTrue();
            assertThat(dpor.finals).as("final states of %s, bound %d", ops, bound).isEqualTo(plain.finals);
            assertThat(dpor.kinds()).as("finding kinds of %s, bound %d", ops, bound).isEqualTo(plain.kinds());
        }
    }

    private record Outcome(ExploreResult result, Set<String> finals) {
        Set<FindingKind> kinds() {
            return result.countsByKind().keySet();
        }
    }

    private static Outcome explore(List<List<Op>> ops, ExploreOptions o) {
        Set<String> finals = ConcurrentHashMap.newKeySet();
        return new Outcome(Explorer.explore(program(ops, finals), o), finals);
    }

    private static Program program(List<List<Op>> ops, Set<String> finals) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(ops.size(), 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                State s = m.extension(State.class, x -> new State());
                long r = cpu.id() + 1;
                for (Op op : ops.get(cpu.id())) {
                    switch (op.kind()) {
                        case 0 -> {
                            cpu.step(OP, s.cells[op.a()], Access.READ);
                            r = r * 31 + s.words[op.a()];
                        }
                        case 1 -> {
                            cpu.step(OP, s.cells[op.a()], Access.WRITE);
                            s.words[op.a()] = s.words[op.a()] * 7 + r;
                        }
                        case 2 -> {
                            s.locks[op.a()].spinLock(cpu);
                            cpu.step(OP, s.cells[op.b()], Access.WRITE);
                            s.words[op.b()] = s.words[op.b()] * 3 + r;
                            s.locks[op.a()].spinUnlock(cpu);
                        }
                        default -> {
                            s.locks[op.a()].spinLock(cpu);
                            s.locks[1 - op.a()].spinLock(cpu);
                            cpu.step(OP, s.cells[op.b()], Access.WRITE);
                            s.words[op.b()] = s.words[op.b()] * 5 + r;
                            s.locks[1 - op.a()].spinUnlock(cpu);
                            s.locks[op.a()].spinUnlock(cpu);
                        }
                    }
                }
                cpu.perCpu(DporPropertyTest.class, x -> new long[1])[0] = r;
            }

            @Override
            public void atQuiescence(Machine m) {
                State s = m.extension(State.class, x -> new State());
                StringBuilder b = new StringBuilder(Arrays.toString(s.words));
                for (Cpu c : m.cpus()) {
                    b.append(' ').append(c.perCpu(DporPropertyTest.class, x -> new long[1])[0]);
                }
                finals.add(b.toString());
            }
        };
    }
}
