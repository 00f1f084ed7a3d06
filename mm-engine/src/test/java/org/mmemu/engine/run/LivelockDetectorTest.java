package org.mmemu.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.control.Explorer;

/**
 * The livelock detector: a loop over unchanged state is a livelock when nobody else can run;
 * a bounded loop, or one that changes what it reads, is not.
 */
class LivelockDetectorTest {
    private static final Site LOOK = Site.of("loop", "if (page_count(page) == 0)");
    private static final Site TOUCH = Site.of("loop", "set_page_count(page, v + 1)");
    private static final ExploreOptions ONE = ExploreOptions.defaults().withMaxSteps(5_000);

    /** {@code loops} CPU 0 iterations over an allocated page ({@code -1}: forever), under lock_x if {@code locked}. */
    private static Program loop(int cpus, int loops, boolean locked, boolean changing) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                Machine m = new Machine(MachineConfig.of(cpus, 1024), gate);
                Page page = m.pageAlloc().allocPage(m.cpu(0), Gfp.GFP_KERNEL);
                m.extension(Page.class, x -> page);
                return m;
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                SpinLock lock = m.extension(SpinLock.class, x -> new SpinLock("lock_x"));
                Page page = m.extension(Page.class, x -> null);
                if (cpu.id() != 0) {
                    lock.spinLock(cpu);
                    lock.spinUnlock(cpu);
                    return;
                }
                if (locked) {
                    lock.spinLock(cpu);
                }
                for (int i = 0; loops < 0 || i < loops; i++) {
                    int v = page.pageCount(cpu, LOOK);
                    if (changing) {
                        page.setPageCount(cpu, TOUCH, v + 1);
                    }
                }
                if (locked) {
                    lock.spinUnlock(cpu);
                }
            }

            @Override
            public void atQuiescence(Machine m) {
                // no quiescent checks: the page is held on purpose
            }
        };
    }

    @Test
    void aLoopUnderALockWhileAnotherSpinsIsALivelock() {
        RunResult r = Explorer.replay(loop(2, -1, true, false), "any:", ONE);
        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.STOPPED);
        assertThat(r.findings()).extracting(Finding::kind).containsExactly(FindingKind.LIVELOCK);
        Finding f = r.findings().get(0);
        assertThat(f.message()).contains("cpu0 repeats the same 1 steps", "cpu1 spins on lock_x held by cpu0",
                "loop: if (page_count(page) == 0)");
        assertThat(f.cpu()).isZero();
        assertThat(r.steps()).isLessThan(ONE.maxSteps());
    }

    @Test
    void aLoopAloneOverTheSameStateIsALivelock() {
        RunResult r = Explorer.replay(loop(1, -1, false, false), "any:", ONE);
        assertThat(r.findings()).extracting(Finding::kind).containsExactly(FindingKind.LIVELOCK);
        assertThat(r.findings().get(0).message()).contains("no other CPU can run");
    }

    @Test
    void aBoundedLoopBelowTheThresholdEnds() {
        RunResult r = Explorer.replay(loop(2, LivelockDetector.DEFAULT_REPEATS - 2, true, false), "any:", ONE);
        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void aLoopThatChangesWhatItReadsIsNoLivelock() {
        RunResult r = Explorer.replay(loop(2, -1, true, true), "any:", ONE);
        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.STEP_LIMIT);
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void theThresholdIsTheProgramsToSay() {
        Program inner = loop(2, 100, true, false);
        Program patient = new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return inner.boot(gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                inner.run(m, cpu);
            }

            @Override
            public void atQuiescence(Machine m) {
            }

            @Override
            public int livelockRepeats() {
                return 200;
            }
        };
        assertThat(Explorer.replay(inner, "any:", ONE).findings()).extracting(Finding::kind)
                .containsExactly(FindingKind.LIVELOCK);
        assertThat(Explorer.replay(patient, "any:", ONE).findings()).isEmpty();
    }
}
