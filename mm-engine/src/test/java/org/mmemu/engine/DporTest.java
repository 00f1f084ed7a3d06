package org.mmemu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.engine.control.Explorer;

/**
 * {@code dpor} on classic programs whose Mazurkiewicz traces are counted by hand: it must run
 * each trace exactly once (no abandoned executions on these), and find what there is to find.
 */
class DporTest {
    private static final ExploreOptions DPOR = ExploreOptions.defaults().withPolicy("dpor").withPreemptionBound(-1)
            .withShrink(false);
    private static final Site LOCKED = Site.of("locked_inc", "counter++");

    /** Two CPUs on disjoint targets: every interleaving is one trace. */
    @Test
    void independentStepsAreOneExecution() {
        assertTraces(TinyPrograms.steps(Access.WRITE, new String[][] {{"a", "b"}, {"c", "d"}}), 1);
        assertTraces(TinyPrograms.steps(Access.READ, new String[][] {{"x", "x"}, {"x", "x"}}), 1);
    }

    /** Two atomic increments (one write each) of one counter: who goes first, 2 traces. */
    @Test
    void twoAtomicIncrementsAreTwoExecutions() {
        assertTraces(TinyPrograms.steps(Access.WRITE, new String[][] {{"x"}, {"x"}}), 2);
    }

    /**
     * Two non-atomic increments (load, store) of one counter, with local steps around: the loads
     * commute, so the traces are the orders of the two stores and whether each load sees the
     * other's store: r0 w0 r1 w1, r1 w1 r0 w0, and the two with both loads first (w0 w1 or
     * w1 w0): 4. Two of them lose an update.
     */
    @Test
    void twoIncrementsOfOneCounterAreFourExecutionsAndLoseAnUpdate() {
        ExploreResult r = assertTraces(TinyPrograms.lostUpdate(2, 2), 4);
        assertThat(r.countsByKind()).containsEntry(FindingKind.ACCOUNTING, 2L);
    }

    /** All four steps writing one target: every interleaving is its own trace, C(4,2) = 6. */
    @Test
    void dependentStepsAreEveryInterleaving() {
        assertTraces(TinyPrograms.steps(Access.WRITE, new String[][] {{"x", "x"}, {"x", "x"}}), 6);
    }

    /** Lock-protected increments: only the order of the critical sections matters, 2 traces, no lost update. */
    @Test
    void lockProtectedIncrementsAreTwoExecutions() {
        ExploreResult r = assertTraces(lockedIncrements(2), 2);
        assertThat(r.findings()).isEmpty();
        assertTraces(lockedIncrements(3), 6);
    }

    /** Three CPUs: one writes x, two read it; the reads commute, each falls before or after the write: 4. */
    @Test
    void oneWriterTwoReadersAreFourExecutions() {
        assertTraces(TinyPrograms.steps(Access.WRITE, new String[][] {{"x"}, {}, {}}), 1);
        assertTraces(writerAndReaders(), 4);
    }

    /** The ABBA deadlock is found, and the search is still complete. */
    @Test
    void theAbbaDeadlockIsFound() {
        ExploreResult r = Explorer.explore(TinyPrograms.abba(), DPOR);
        assertThat(r.complete()).isTrue();
        assertThat(r.findings()).extracting(f -> f.kind()).contains(FindingKind.DEADLOCK);
    }

    @Test
    void theIrqModelIsRefusedWithOneClearMessage() {
        assertThatThrownBy(() -> Explorer.explore(TinyPrograms.lostUpdate(2, 0), DPOR.withDelays(DelayModel.IRQ)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dpor").hasMessageContaining("anywhere");
    }

    private static ExploreResult assertTraces(Program p, long traces) {
        ExploreResult r = Explorer.explore(p, DPOR);
        assertThat(r.complete()).isTrue();
        assertThat(r.schedules()).as("complete executions").isEqualTo(traces);
        assertThat(r.pruned()).as("abandoned executions").isZero();
        return r;
    }

    /** Each CPU takes the lock, loads and stores the counter, releases the lock. */
    static Program lockedIncrements(int cpus) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(cpus, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                SpinLock l = m.extension(SpinLock.class, x -> new SpinLock("l"));
                TinyPrograms.Word c = TinyPrograms.counter(m);
                l.spinLock(cpu);
                cpu.step(LOCKED, c, Access.READ);
                int v = c.value;
                cpu.step(LOCKED, c, Access.WRITE);
                c.value = v + 1;
                l.spinUnlock(cpu);
            }

            @Override
            public void atQuiescence(Machine m) {
                if (TinyPrograms.counter(m).value != cpus) {
                    m.detectors().report(FindingKind.ACCOUNTING, null, -1, LOCKED, "lost update");
                }
            }
        };
    }

    /** cpu0 writes x, cpu1 and cpu2 read it. */
    private static Program writerAndReaders() {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(3, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                TinyPrograms.Word x = TinyPrograms.counter(m);
                cpu.step(LOCKED, x, cpu.id() == 0 ? Access.WRITE : Access.READ);
            }
        };
    }
}
