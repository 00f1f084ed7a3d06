package org.mmemu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
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
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.hb.VectorClock;

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

    /**
     * Regression (found by the property above): two CPUs take two locks in opposite order. The
     * three traces are CPU 0 first, CPU 1 first, and the ABBA deadlock; in the deadlocked
     * execution CPU 1's attempt on the first lock never becomes an event, so the search must
     * reverse it from the deadlock itself or it never runs CPU 1 first.
     */
    @Example
    void abbaReachesBothOrdersAndTheDeadlock() {
        List<List<Op>> ops = List.of(List.of(new Op(3, 0, 0)), List.of(new Op(3, 1, 0)));
        Outcome plain = explore(ops, PLAIN);
        Outcome dpor = explore(ops, DPOR);
        assertThat(plain.finals).hasSize(2);
        assertThat(dpor.finals).isEqualTo(plain.finals);
        assertThat(dpor.kinds()).isEqualTo(plain.kinds()).contains(org.mmemu.core.emu.FindingKind.DEADLOCK);
        assertThat(dpor.result.schedules()).isEqualTo(3);
    }

    /**
     * Each Mazurkiewicz trace exactly once: the complete executions of {@code dpor} are as many
     * as the distinct traces among all interleavings (programs without nested sections, so
     * without deadlocks; a trace is keyed by the vector clock of every event, computed from the
     * log the program keeps of its own steps).
     */
    @Property(tries = 60)
    void dporRunsEachTraceExactlyOnce(@ForAll("programs") List<List<Op>> ops) {
        List<List<Op>> flat = ops.stream().map(l -> l.stream().map(o -> o.kind() == 3 ? new Op(2, o.a(), o.b()) : o)
                .toList()).toList();
        Set<String> traces = ConcurrentHashMap.newKeySet();
        Explorer.explore(program(flat, ConcurrentHashMap.newKeySet(), traces), PLAIN);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExploreResult dpor = Explorer.explore(program(flat, ConcurrentHashMap.newKeySet(), seen), DPOR);
        assertThat(dpor.schedules()).as("executions of %s", flat).isEqualTo(traces.size());
        assertThat(seen).isEqualTo(traces);
    }

    /**
     * Regression (found by the property below): a lock section and a load against a store and a
     * lock section, at preemption bound 1.
     */
    @Example
    void boundedLockSectionAgainstAStore() {
        List<List<Op>> ops = List.of(List.of(new Op(2, 0, 0), new Op(0, 0, 0)),
                List.of(new Op(1, 0, 0), new Op(2, 0, 0)));
        for (int bound = 0; bound <= 2; bound++) {
            Outcome plain = explore(ops, PLAIN.withPreemptionBound(bound));
            Outcome dpor = explore(ops, DPOR.withPreemptionBound(bound));
            assertThat(dpor.finals).as("bound %d", bound).isEqualTo(plain.finals);
        }
    }

    @Property(tries = 200)
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
        return new Outcome(Explorer.explore(program(ops, finals, ConcurrentHashMap.newKeySet()), o), finals);
    }

    /** A shared step as the program logs it, right after the engine granted it. */
    private record Logged(int cpu, Object target, Access access) {
    }

    /** The trace of a log: every event's vector clock (program order plus the order of dependent steps). */
    static String traceKey(List<Logged> log, int cpus) {
        VectorClock[] clocks = new VectorClock[cpus];
        for (int c = 0; c < cpus; c++) {
            clocks[c] = new VectorClock(cpus);
        }
        List<String> events = new java.util.ArrayList<>();
        List<VectorClock> of = new java.util.ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            Logged e = log.get(i);
            VectorClock v = clocks[e.cpu()].copy();
            int seq = v.tick(e.cpu());
            for (int j = 0; j < i; j++) {
                Logged d = log.get(j);
                if (d.target() == e.target() && (d.access().writes() || e.access().writes())) {
                    v.join(of.get(j));
                }
            }
            of.add(v);
            clocks[e.cpu()] = v;
            events.add(e.cpu() + "." + seq + v);
        }
        java.util.Collections.sort(events);
        return events.toString();
    }

    private static Program program(List<List<Op>> ops, Set<String> finals, Set<String> traces) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(ops.size(), 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                State s = m.extension(State.class, x -> new State());
                List<Logged> log = m.extension(Logged.class, x -> new java.util.ArrayList<Logged>());
                long r = cpu.id() + 1;
                for (Op op : ops.get(cpu.id())) {
                    switch (op.kind()) {
                        case 0 -> {
                            cpu.step(OP, s.cells[op.a()], Access.READ);
                            log.add(new Logged(cpu.id(), s.cells[op.a()], Access.READ));
                            r = r * 31 + s.words[op.a()];
                        }
                        case 1 -> {
                            cpu.step(OP, s.cells[op.a()], Access.WRITE);
                            log.add(new Logged(cpu.id(), s.cells[op.a()], Access.WRITE));
                            s.words[op.a()] = s.words[op.a()] * 7 + r;
                        }
                        case 2 -> {
                            s.locks[op.a()].spinLock(cpu);
                            log.add(new Logged(cpu.id(), s.locks[op.a()], Access.LOCK));
                            cpu.step(OP, s.cells[op.b()], Access.WRITE);
                            log.add(new Logged(cpu.id(), s.cells[op.b()], Access.WRITE));
                            s.words[op.b()] = s.words[op.b()] * 3 + r;
                            s.locks[op.a()].spinUnlock(cpu);
                            log.add(new Logged(cpu.id(), s.locks[op.a()], Access.UNLOCK));
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
                List<Logged> log = m.extension(Logged.class, x -> new java.util.ArrayList<Logged>());
                traces.add(traceKey(log, ops.size()));
            }
        };
    }
}
