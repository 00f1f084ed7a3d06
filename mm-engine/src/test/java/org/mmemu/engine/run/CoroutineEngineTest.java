package org.mmemu.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.RunAborted;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.TinyPrograms;
import org.mmemu.engine.control.Explorer;

/** The coroutine mechanism: one host thread per execution, and nothing left alive after a run. */
class CoroutineEngineTest {
    private static final Site SPIN = Site.of("test", "spin forever");

    /** What the CPUs' code saw: the thread it ran on and how it ended. */
    private static final class Log {
        final List<Thread> ranOn = new ArrayList<>();
        final List<String> endings = new ArrayList<>();
    }

    /** Every CPU steps on one shared word forever, logging the thread and how its code ended. */
    private static Program endless(int cpus, Log log) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(cpus, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                log.ranOn.add(Thread.currentThread());
                try {
                    for (;;) {
                        cpu.step(SPIN, TinyPrograms.counter(m), Access.WRITE);
                    }
                } catch (RunAborted e) {
                    log.endings.add(cpu + " " + e.getClass().getSimpleName());
                    throw e;
                }
            }
        };
    }

    private static RunResult runOnce(Program p, Scheduler s, long maxSteps) {
        return new Execution(p, DelayModel.ANYWHERE, s, maxSteps, System.nanoTime() + 10_000_000_000L, false,
                RowListener.NONE).run();
    }

    /** Round robin: a handover at every step. */
    private static Scheduler roundRobin() {
        return x -> Action.step((x.lastCpu() + 1) % x.cpus());
    }

    @Test
    void everyCpuRunsOnTheCallersThread() {
        runOnce(endless(2, new Log()), roundRobin(), 4); // the JDK's own helper threads start once
        Log log = new Log();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        RunResult r = runOnce(endless(4, log), roundRobin(), 40);
        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.STEP_LIMIT);
        assertThat(log.ranOn).hasSize(4).containsOnly(Thread.currentThread());
        assertThat(Thread.getAllStackTraces().keySet()).isSubsetOf(before);
    }

    @Test
    void anAbortedRunUnwindsEveryCpuAndLeavesNoLiveContinuation() {
        for (long limit : new long[] {1, 2, 7, 40}) {
            Log log = new Log();
            Execution x = new Execution(endless(3, log), DelayModel.ANYWHERE, roundRobin(), limit,
                    System.nanoTime() + 10_000_000_000L, false, RowListener.NONE);
            RunResult r = x.run();
            assertThat(r.outcome()).isEqualTo(RunResult.Outcome.STEP_LIMIT);
            assertThat(x.quiescent()).as("every continuation ended").isTrue();
            // each CPU that had started saw the engine's Unwind in its gate and ended through it
            assertThat(log.endings).hasSize(log.ranOn.size())
                    .allMatch(e -> e.endsWith(" Unwind"));
        }
    }

    @Test
    void aPrunedRunAndADeadlockLeaveNoLiveContinuation() {
        Log log = new Log();
        int[] calls = {0};
        Execution pruned = new Execution(endless(2, log), DelayModel.ANYWHERE,
                x -> ++calls[0] > 5 ? Action.PRUNE : Action.step(calls[0] % 2), 1000,
                System.nanoTime() + 10_000_000_000L, false, RowListener.NONE);
        assertThat(pruned.run().outcome()).isEqualTo(RunResult.Outcome.PRUNED);
        assertThat(pruned.quiescent()).isTrue();
        assertThat(log.endings).containsExactlyInAnyOrder("cpu0 Unwind", "cpu1 Unwind");

        String deadlock = Explorer.explore(TinyPrograms.abba(), ExploreOptions.defaults().withPreemptionBound(1))
                .findings().get(0).schedule();
        RunResult abba = Explorer.replay(TinyPrograms.abba(), deadlock);
        assertThat(abba.outcome()).isEqualTo(RunResult.Outcome.DEADLOCK);
        assertThat(abba.findings().get(0).message()).contains("lock_a held by cpu0", "lock_b held by cpu1");
    }

    @Test
    void noThreadOutlivesAParallelExploration() {
        runOnce(endless(2, new Log()), roundRobin(), 4);
        Set<String> before = names();
        ExploreResult r = Explorer.explore(TinyPrograms.lostUpdate(3, 1),
                ExploreOptions.defaults().withPreemptionBound(1).withThreads(2));
        assertThat(r.schedules()).isPositive();
        assertThat(names()).isSubsetOf(before);
    }

    private static Set<String> names() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
