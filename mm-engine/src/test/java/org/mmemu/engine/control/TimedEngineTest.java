package org.mmemu.engine.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.CostTable;
import org.mmemu.engine.Estimate;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.TinyPrograms;
import org.mmemu.engine.TraceRow;

/** The timed engine: clocks, costs, random interrupts where irqs are on, and the estimator. */
class TimedEngineTest {
    private static final long SEED = 42;

    @Test
    void theSmallestClockGoesNext() {
        Site atomic = Site.of("cpu0", "atomic_inc");
        Site local = Site.of("cpu1", "compare");
        Program p = new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(2, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                if (cpu.id() == 0) {
                    cpu.step(atomic, "a", Access.WRITE);
                    cpu.step(atomic, "b", Access.WRITE);
                } else {
                    for (int i = 0; i < 30; i++) {
                        cpu.local(local);
                    }
                }
            }
        };
        RunResult r = TimedEngine.defaults().run(p, SEED);
        // cpu0's atomic costs 25 cycles, cpu1's local steps 1: cpu1 takes 25 rows per cpu0 row
        StringBuilder lanes = new StringBuilder();
        r.trace().rows().forEach(x -> lanes.append(x.cpu()));
        assertThat(lanes.toString()).isEqualTo("0" + "1".repeat(25) + "0" + "1".repeat(5));
    }

    @Test
    void aTimedRunIsDeterminedByItsSeedAndReplaysWithoutClocks() {
        Program p = TinyPrograms.withInterrupts(TinyPrograms.lostUpdate(2, 3),
                java.util.List.of(InterruptSpec.busy(0, 4, 2)));
        TimedEngine e = new TimedEngine(CostTable.defaults(), 20, 1000, Duration.ofSeconds(10));
        RunResult a = e.run(p, SEED);
        RunResult b = e.run(p, SEED);
        assertThat(a.trace().hash()).isEqualTo(b.trace().hash());
        assertThat(a.trace().rows()).anyMatch(x -> x.kind() == TraceRow.Kind.IRQ_ENTER);
        assertThat(Explorer.replay(p, a.schedule()).trace().hash()).isEqualTo(a.trace().hash());
    }

    @Test
    void interruptsArriveOnlyWhereIrqsAreOn() {
        TimedEngine e = new TimedEngine(CostTable.defaults(), 2, 1000, Duration.ofSeconds(10));
        AtomicInteger handled = new AtomicInteger();
        Estimate safe = e.estimate(IrqModelTest.criticalSection(true, handled), FindingKind.LOCK_MISUSE, SEED, 100, 1);
        System.out.println("seed " + SEED + " irqs off: " + safe);
        assertThat(safe.hits()).isZero();
        assertThat(handled.get()).isPositive();
        Estimate unsafe = e.estimate(IrqModelTest.criticalSection(false, new AtomicInteger()), FindingKind.LOCK_MISUSE,
                SEED, 100, 1);
        System.out.println("seed " + SEED + " irqs on: " + unsafe);
        assertThat(unsafe.hits()).isPositive();
        assertThat(unsafe.low()).isLessThanOrEqualTo(unsafe.perOp()).isLessThanOrEqualTo(unsafe.high());
    }

    @Test
    void wilsonIntervals() {
        Estimate none = Estimate.of(100, 0, 1, 0);
        assertThat(none.low()).isZero();
        assertThat(none.high()).isCloseTo(0.0370, within(1e-4));
        Estimate half = Estimate.of(100, 50, 1, 0);
        assertThat(half.low()).isCloseTo(0.4038, within(1e-4));
        assertThat(half.high()).isCloseTo(0.5962, within(1e-4));
        Estimate perOp = Estimate.of(100, 50, 10, 0);
        assertThat(perOp.perOp()).isCloseTo(0.05, within(1e-12));
        assertThat(perOp.high()).isCloseTo(0.05962, within(1e-5));
    }
}
