package org.mmemu.engine.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.TinyPrograms;
import org.mmemu.engine.Trace;
import org.mmemu.engine.TraceRow;

/** The {@code irq} delay model: lock-step, spins that keep pace, interrupts only where irqs are on. */
class IrqModelTest {
    private static final Site WORK = Site.of("work", "critical step");
    private static final Site HANDLER = Site.of("handler", "look at the critical section");

    /** Per machine: whether CPU 0 is inside its critical section (CPU-local state, read quietly). */
    static final class Critical {
        boolean inside;
    }

    /**
     * CPU 0 runs a 3-step critical section, with irqs off around it when {@code cli}; an
     * interrupt on CPU 0 whose handler reports a finding if it lands inside the section.
     */
    static Program criticalSection(boolean cli, AtomicInteger handlerRuns) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(2, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                Critical c = m.extension(Critical.class, x -> new Critical());
                if (cpu.id() == 0) {
                    cpu.local(WORK);
                    if (cli) {
                        cpu.localIrqDisable();
                    }
                    c.inside = true;
                    for (int i = 0; i < 3; i++) {
                        cpu.local(WORK);
                    }
                    c.inside = false;
                    if (cli) {
                        cpu.localIrqEnable();
                    }
                    cpu.local(WORK);
                } else {
                    for (int i = 0; i < 4; i++) {
                        cpu.local(WORK);
                    }
                }
            }

            @Override
            public List<InterruptSpec> interrupts() {
                return List.of(new InterruptSpec(0, 0, 1, (m, cpu) -> {
                    handlerRuns.incrementAndGet();
                    cpu.local(HANDLER);
                    if (m.extension(Critical.class, x -> new Critical()).inside) {
                        m.detectors().report(FindingKind.LOCK_MISUSE, cpu, -1, HANDLER,
                                "interrupt inside the critical section");
                    }
                }));
            }
        };
    }

    @Test
    void anInterruptIsNeverDeliveredWhileIrqsAreDisabled() {
        ExploreOptions o = ExploreOptions.defaults().withDelays(DelayModel.IRQ).withPreemptionBound(1).withSkew(1);
        AtomicInteger runs = new AtomicInteger();
        ExploreResult safe = Explorer.explore(criticalSection(true, runs), o);
        assertThat(safe.verdict()).isEqualTo(ExploreResult.Verdict.NONE);
        assertThat(runs.get()).as("the interrupt did arrive, elsewhere").isPositive();

        ExploreResult unsafe = Explorer.explore(criticalSection(false, new AtomicInteger()), o);
        assertThat(unsafe.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        String schedule = unsafe.findings().get(0).schedule();
        Trace t = Explorer.replay(criticalSection(false, new AtomicInteger()), schedule).trace();
        assertThat(t.rows()).anyMatch(r -> r.kind() == TraceRow.Kind.IRQ_ENTER);
        assertThat(t.rows()).filteredOn(r -> r.inInterrupt() && r.kind() == TraceRow.Kind.STEP)
                .extracting(TraceRow::site).contains(HANDLER);
    }

    @Test
    void theAnywhereModelAlsoHonoursIrqsOff() {
        ExploreOptions o = ExploreOptions.defaults().withPreemptionBound(1);
        assertThat(Explorer.explore(criticalSection(true, new AtomicInteger()), o).verdict())
                .isEqualTo(ExploreResult.Verdict.NONE);
        assertThat(Explorer.explore(criticalSection(false, new AtomicInteger()), o).verdict())
                .isEqualTo(ExploreResult.Verdict.FOUND);
    }

    @Test
    void aSpinningCpuKeepsPace() {
        Program p = new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(2, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                SpinLock lock = m.extension(SpinLock.class, x -> new SpinLock("lru_lock"));
                lock.spinLock(cpu);
                for (int i = 0; i < 3; i++) {
                    cpu.local(WORK);
                }
                lock.spinUnlock(cpu);
            }
        };
        RunResult r = Explorer.replay(p, "irq:");
        List<TraceRow> rows = r.trace().rows();
        assertThat(rows).extracting(TraceRow::cpu).containsExactly(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1);
        assertThat(rows.subList(0, 9)).filteredOn(x -> x.cpu() == 1)
                .allMatch(x -> x.kind() == TraceRow.Kind.SPIN && x.site().statement().equals("lru_lock"));
        assertThat(rows.get(9).kind()).isEqualTo(TraceRow.Kind.STEP);

        // under the anywhere model the waiting CPU is no choice at all: no spins
        assertThat(Explorer.replay(p, "any:").trace().rows()).noneMatch(x -> x.kind() == TraceRow.Kind.SPIN);
    }

    @Test
    void interruptArrivalPointsAndDurationsAreExplored() {
        Program p = new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(1, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                cpu.local(WORK);
                cpu.local(WORK);
            }

            @Override
            public List<InterruptSpec> interrupts() {
                return List.of(InterruptSpec.busy(0, 3, 1));
            }
        };
        ExploreOptions o = ExploreOptions.defaults().withDelays(DelayModel.IRQ);
        // every length: no interrupt, or one before either step lasting 1, 2 or 3 steps: 1 + 2 x 3
        ExploreResult every = Explorer.exploreEveryDuration(p, o);
        assertThat(every.schedules()).isEqualTo(7);
        assertThat(every.complete()).isTrue();
        // duration classes: no other CPU has a shared step for the handler to cover, so the
        // three lengths are one class, run at its longest: 1 + 2 x 1
        ExploreResult r = Explorer.explore(p, o);
        assertThat(r.schedules()).isEqualTo(3);
        assertThat(r.complete()).isTrue();
        List<TraceRow> rows = Explorer.replay(p, "irq:i0/2").trace().rows();
        assertThat(rows).extracting(TraceRow::kind).containsExactly(TraceRow.Kind.IRQ_ENTER, TraceRow.Kind.STEP,
                TraceRow.Kind.STEP, TraceRow.Kind.IRQ_EXIT, TraceRow.Kind.STEP, TraceRow.Kind.STEP);
        assertThat(rows).extracting(TraceRow::inInterrupt).containsExactly(false, true, true, true, false, false);
    }

    @Test
    void startOffsetsAndSlipsAreExplored() {
        Program p = TinyPrograms.lostUpdate(2, 2);
        ExploreOptions o = ExploreOptions.defaults().withDelays(DelayModel.IRQ).withPreemptionBound(0);
        ExploreResult r = Explorer.explore(p, o);
        assertThat(r.complete()).isTrue();
        // six steps each; leader cpu0 or cpu1; the other lets 0..5 of its turns pass (after the
        // leader's sixth step nobody else can use a turn, so it must start): 2 x 6
        assertThat(r.schedules()).isEqualTo(12);
        assertThat(r.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        assertThat(r.findings().get(0).schedule()).startsWith("irq:");
        // one slip of at most one turn, anywhere: more schedules, still a complete space (the
        // plain search: a merging one leaves out the slips before the CPUs meet, which a later
        // start reproduces, and cuts the rest where they meet a state seen)
        o = o.withMerge(false);
        ExploreResult slips = Explorer.explore(p, o.withPreemptionBound(1).withSkew(1));
        assertThat(slips.complete()).isTrue();
        assertThat(slips.schedules()).isGreaterThan(r.schedules());
        ExploreResult wider = Explorer.explore(p, o.withPreemptionBound(1).withSkew(2));
        assertThat(wider.schedules()).isGreaterThan(slips.schedules());
    }
}
