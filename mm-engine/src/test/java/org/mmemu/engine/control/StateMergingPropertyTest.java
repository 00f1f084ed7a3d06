package org.mmemu.engine.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Program;
import org.mmemu.engine.run.KeyMutation;

/**
 * State merging must not lose a reachable final state: on random small programs under the
 * {@code irq} model (two and three CPUs; loads, read-modify-writes, lock sections, flag bits on
 * one word, branches on a flag bit, local steps; a busy interrupt and an interrupt whose handler
 * writes memory), the
 * set of final states (memory and every CPU's registers) of the merged search equals that of
 * the plain one ({@code --no-merge}), at preemption bounds 0 to 2 and skews 1 and 2, with one
 * explorer thread and, deepening the bound round by round as the command line does (each round
 * keeping the states the last explored), with two (three CPUs: bounds 0 and 1). And each part of the key is needed: with the model's offsets
 * left out, or CPU 0's position between shared steps, some program loses a final state.
 */
class StateMergingPropertyTest {
    private static final long SEED = 21;
    private static final Site OP = Site.of("random", "op");
    private static final Site HANDLER = Site.of("random", "handler");

    /** Machine state: a word of counts, a word of flag bits (one field per bit), a lock and its word. */
    static final class State {
        long count;
        long flags;
        long locked;
        final SpinLock lock = new SpinLock("l");
    }

    /** One random program: per CPU, its operations ({kind, argument}). */
    record Shape(int[][][] ops, boolean busyIrq, boolean handlerIrq) {
        @Override
        public String toString() {
            return Arrays.deepToString(ops) + (busyIrq ? " +busy irq on cpu0" : "")
                    + (handlerIrq ? " +handler irq on cpu1" : "");
        }
    }

    private static Program program(Shape shape, Set<String> finals) {
        return program(shape, finals, InterruptSpec.busy(0, 3, 1));
    }

    /** Three CPU-local steps: a busy handler of three steps, as kernel code. */
    private static void threeLocalSteps(Machine m, Cpu cpu) {
        for (int i = 0; i < 3; i++) {
            cpu.local(HANDLER);
        }
    }

    /** {@code busyIrq}: cpu0's interrupt is {@code cpu0Irq}. */
    private static Program program(Shape shape, Set<String> finals, InterruptSpec cpu0Irq) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(shape.ops().length, 16), gate);
            }

            @Override
            public List<InterruptSpec> interrupts() {
                List<InterruptSpec> irqs = new ArrayList<>();
                if (shape.busyIrq()) {
                    irqs.add(cpu0Irq);
                }
                if (shape.handlerIrq()) {
                    irqs.add(new InterruptSpec(1, 0, 1, (m, cpu) -> {
                        State s = state(m);
                        cpu.step(HANDLER, s, Access.COUNT, Access.WRITE);
                        s.count = s.count * 5 + 1;
                    }));
                }
                return irqs;
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                State s = state(m);
                long r = cpu.id() + 1;
                for (int[] op : shape.ops()[cpu.id()]) {
                    r = apply(cpu, s, op, r);
                }
                cpu.perCpu(StateMergingPropertyTest.class, x -> new long[1])[0] = r;
            }

            @Override
            public void atQuiescence(Machine m) {
                State s = state(m);
                StringBuilder b = new StringBuilder().append(s.count).append('/').append(s.flags).append('/')
                        .append(s.locked);
                for (Cpu c : m.cpus()) {
                    b.append(' ').append(c.perCpu(StateMergingPropertyTest.class, x -> new long[1])[0]);
                }
                finals.add(b.toString());
            }
        };
    }

    private static State state(Machine m) {
        return m.extension(State.class, x -> new State());
    }

    /** One operation; returns the CPU's register after it. */
    private static long apply(Cpu cpu, State s, int[] op, long r) {
        int a = op[1];
        switch (op[0]) {
            case 0 -> { // a load of the count
                cpu.step(OP, s, Access.COUNT, Access.READ);
                return r * 31 + s.count;
            }
            case 1 -> { // an atomic add to the count
                cpu.step(OP, s, Access.COUNT, Access.WRITE);
                s.count = s.count * 7 + r;
                return r;
            }
            case 2 -> { // a lock section
                s.lock.spinLock(cpu);
                cpu.step(OP, s.lock, Access.WRITE);
                s.locked = s.locked * 3 + r;
                long seen = s.locked;
                s.lock.spinUnlock(cpu);
                return r + seen;
            }
            case 3 -> { // test_and_set_bit(a)
                cpu.step(OP, s, Access.flag(a), Access.WRITE);
                boolean was = (s.flags & (1L << a)) != 0;
                s.flags |= 1L << a;
                return r * 2 + (was ? 1 : 0);
            }
            case 4 -> { // a load of every flag at once
                cpu.step(OP, s, Access.FLAGS, Access.READ);
                return r * 17 + s.flags;
            }
            case 5 -> { // clear_bit(a)
                cpu.step(OP, s, Access.flag(a), Access.WRITE);
                s.flags &= ~(1L << a);
                return r;
            }
            case 7 -> { // a branch on bit a: where it is set, a load of the count; else a local step
                cpu.step(OP, s, Access.flag(a), Access.READ);
                if ((s.flags & (1L << a)) != 0) {
                    cpu.step(OP, s, Access.COUNT, Access.READ);
                    return r * 13 + s.count;
                }
                cpu.local(OP);
                return r + 1;
            }
            case 8 -> { // the other branch: where bit a is clear, a load of the count; else a local step
                cpu.step(OP, s, Access.flag(a), Access.READ);
                if ((s.flags & (1L << a)) == 0) {
                    cpu.step(OP, s, Access.COUNT, Access.READ);
                    return r * 13 + s.count;
                }
                cpu.local(OP);
                return r + 1;
            }
            default -> { // a + 1 local steps: time, no shared state
                for (int i = 0; i <= a; i++) {
                    cpu.local(OP);
                }
                return r;
            }
        }
    }

    private static List<Shape> shapes() {
        SplittableRandom rng = new SplittableRandom(SEED);
        List<Shape> shapes = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            int cpus = p % 4 == 3 ? 3 : 2;
            int len = cpus == 3 ? 2 : 3;
            int[][][] ops = new int[cpus][len][];
            for (int c = 0; c < cpus; c++) {
                for (int i = 0; i < len; i++) {
                    ops[c][i] = new int[] {rng.nextInt(9), rng.nextInt(2)};
                }
            }
            shapes.add(new Shape(ops, p % 3 != 1, p % 2 == 1));
        }
        return shapes;
    }

    /** Bound 2 for two CPUs, 1 for three: what the plain search covers in well under a second. */
    private static int maxBound(Shape shape) {
        return shape.ops().length == 2 ? 2 : 1;
    }

    private static ExploreOptions irq(int bound, int skew) {
        return ExploreOptions.defaults().withDelays(DelayModel.IRQ).withPreemptionBound(bound).withSkew(skew)
                .withShrink(false).withMaxSchedules(2_000_000).withTimeLimit(Duration.ofMinutes(2));
    }

    private static Set<String> finals(Shape shape, ExploreOptions o, KeyMutation mutation, long[] merged) {
        Set<String> finals = ConcurrentHashMap.newKeySet();
        ExploreResult r = Explorer.exploreWithKey(program(shape, finals), o, mutation);
        assertThat(r.complete()).as("%s under %s", shape, o).isTrue();
        if (merged != null) {
            merged[0] += r.stats().merged();
            merged[1] += r.schedules();
        }
        return finals;
    }

    /**
     * The search as the command line runs it: deepening 0, 1, ... up to the bound, each round keeping
     * the last's states ({@code stop} never; {@link org.mmemu.engine.StopRule#cover()}, as
     * {@code --keep-going}, deepens from one below the bound).
     */
    private static Set<String> deepened(Shape shape, ExploreOptions o, org.mmemu.engine.StopRule stop) {
        Set<String> finals = ConcurrentHashMap.newKeySet();
        ExploreResult r = Explorer.search(program(shape, finals), o, stop);
        assertThat(r.complete()).as("%s under %s", shape, o).isTrue();
        return finals;
    }

    @Test
    void mergingKeepsEveryFinalState() {
        long[] merged = new long[2];
        long[] plainRuns = new long[2];
        for (Shape shape : shapes()) {
            for (int bound = 0; bound <= maxBound(shape); bound++) {
                for (int skew = 1; skew <= 2; skew++) {
                    ExploreOptions o = irq(bound, skew);
                    Set<String> plain = finals(shape, o.withMerge(false), KeyMutation.NONE, plainRuns);
                    Set<String> one = finals(shape, o, KeyMutation.NONE, merged);
                    Set<String> two = deepened(shape, o.withThreads(2), org.mmemu.engine.StopRule.never());
                    Set<String> covered = deepened(shape, o, org.mmemu.engine.StopRule.cover());
                    assertThat(one).as("%s, bound %d, skew %d", shape, bound, skew).isEqualTo(plain);
                    assertThat(two).as("deepened, two threads: %s, bound %d, skew %d", shape, bound, skew)
                            .isEqualTo(plain);
                    assertThat(covered).as("from one below the bound: %s, bound %d, skew %d", shape, bound, skew)
                            .isEqualTo(plain);
                }
            }
        }
        System.out.println("state merging: " + merged[1] + " schedules (" + merged[0] + " merged), plain "
                + plainRuns[1]);
        assertThat(merged[0]).isPositive();
        assertThat(merged[1]).isLessThan(plainRuns[1]);
    }

    /**
     * The {@code irq} model's classes (a busy handler's arrival once per class of positions
     * between two shared steps of its CPU, its end only where another CPU's step is shared;
     * {@link org.mmemu.engine.delay.IrqScheduler}) reach every final state that offering every
     * arrival position and every length reaches, on the random programs with a busy interrupt.
     */
    @Test
    void arrivalAndDurationClassesKeepEveryFinalState() {
        int compared = 0;
        for (Shape shape : shapes()) {
            if (!shape.busyIrq()) {
                continue;
            }
            for (int bound = 0; bound <= Math.min(1, maxBound(shape)); bound++) {
                ExploreOptions o = irq(bound, 1).withMerge(false);
                Set<String> every = ConcurrentHashMap.newKeySet();
                ExploreResult r = Explorer.exploreEveryDuration(program(shape, every), o);
                assertThat(r.complete()).isTrue();
                Set<String> classes = finals(shape, o, KeyMutation.NONE, null);
                assertThat(classes).as("%s, bound %d", shape, bound).isEqualTo(every);
                compared++;
            }
        }
        assertThat(compared).isPositive();
    }

    /**
     * A scenario's {@code steps: N} handler is a busy handler of exactly N steps
     * ({@link InterruptSpec#busyExactly}): its arrival is offered once per arrival class, and it is
     * never shortened. The same N local steps given as kernel code are offered at every position;
     * both give the same final states, merged or not.
     */
    @Test
    void anExactBusyHandlerIsClassedAndKeepsEveryFinalState() {
        int compared = 0;
        int fewer = 0;
        for (Shape shape : shapes()) {
            if (!shape.busyIrq()) {
                continue;
            }
            for (int bound = 0; bound <= Math.min(1, maxBound(shape)); bound++) {
                ExploreOptions o = irq(bound, 1);
                Set<String> every = ConcurrentHashMap.newKeySet();
                ExploreResult r = Explorer.exploreWithKey(program(shape, every,
                        new InterruptSpec(0, 0, 1, StateMergingPropertyTest::threeLocalSteps)), o.withMerge(false),
                        KeyMutation.NONE);
                assertThat(r.complete()).isTrue();
                for (ExploreOptions classed : new ExploreOptions[] {o, o.withMerge(false)}) {
                    Set<String> local = ConcurrentHashMap.newKeySet();
                    ExploreResult l = Explorer.exploreWithKey(program(shape, local,
                            InterruptSpec.busyExactly(0, 3, 1)), classed,
                            KeyMutation.NONE);
                    assertThat(l.complete()).isTrue();
                    assertThat(local).as("%s, bound %d, merge %s", shape, bound, classed.merge()).isEqualTo(every);
                    if (!classed.merge()) {
                        assertThat(l.schedules()).as("classes are fewer choices").isLessThanOrEqualTo(r.schedules());
                        fewer += l.schedules() < r.schedules() ? 1 : 0;
                    }
                }
                compared++;
            }
        }
        assertThat(compared).isPositive();
        assertThat(fewer).as("some program has positions one class stands for").isPositive();
    }

    /**
     * A slip window vouches only for rows that saw nothing of the slipping CPU. cpu0 sets bit 1,
     * writes the count, sets bit 0; cpu1 loads the flags, takes a local step, then loads the count
     * only where bit 0 is clear. In the run that takes the count write at once, cpu1 sees bit 0
     * set and never touches the count, so every one of its rows commutes with the write; but in a
     * run where cpu0 slips three turns at the write, cpu1 sees bit 0 clear and loads the count
     * before it: a final state no other schedule within the bound reaches. A window that followed
     * cpu1's rows past the one that observed cpu0's later step (bit 0) would skip that slip.
     */
    @Test
    void aSlipWindowEndsWhereTheOtherCpuSawTheSlippingCpusLaterSteps() {
        Shape shape = new Shape(new int[][][] {{{3, 1}, {1, 0}, {3, 0}, {6, 1}, {6, 1}}, {{4, 0}, {6, 0}, {8, 0}}},
                false, false);
        ExploreOptions o = irq(2, 2);
        Set<String> plain = finals(shape, o.withMerge(false), KeyMutation.NONE, null);
        Set<String> merged = finals(shape, o, KeyMutation.NONE, null);
        assertThat(merged).as("%s", shape).isEqualTo(plain);
    }

    @Test
    void eachPartOfTheKeyIsNeeded() {
        for (KeyMutation mutation : new KeyMutation[] {KeyMutation.DROP_OFFSETS, KeyMutation.DROP_CPU0_POSITION,
                KeyMutation.IGNORE_CONTACT}) {
            String caught = null;
            search:
            for (Shape shape : shapes()) {
                for (int bound = 0; bound <= maxBound(shape); bound++) {
                    ExploreOptions o = irq(bound, 2);
                    Set<String> plain = finals(shape, o.withMerge(false), KeyMutation.NONE, null);
                    Set<String> mutated = finals(shape, o, mutation, null);
                    assertThat(plain).containsAll(mutated);
                    if (!mutated.equals(plain)) {
                        caught = shape + ", bound " + bound;
                        break search;
                    }
                }
            }
            System.out.println(mutation + " caught on " + caught);
            assertThat(caught).as("a key without %s loses no final state on any program", mutation).isNotNull();
        }
    }
}
