package org.mmemu.engine;

import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.sync.SpinLock;

/** Small programs written to test the engines: no kernel code, just shared state through steps. */
public final class TinyPrograms {
    // The counter's race is these programs' subject, judged by their own checks: marked
    // data_race() so that the data-race detector does not report it a second time.
    public static final Site READ = Site.of("counter_inc", "v = counter").dataRace();
    public static final Site WRITE = Site.of("counter_inc", "counter = v + 1").dataRace();
    public static final Site PAD = Site.of("counter_inc", "local work");

    private TinyPrograms() {
    }

    /** A shared word per machine. */
    public static final class Word {
        final String name;
        int value;

        Word(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Word> words(Machine m) {
        return m.extension(TinyPrograms.class, x -> new java.util.HashMap<String, Word>());
    }

    public static Word counter(Machine m) {
        return m.extension(Word.class, x -> new Word("counter"));
    }

    /**
     * Each CPU increments one counter non-atomically ({@code pad} local steps, load, store,
     * {@code pad} local steps); at quiescence a counter short of the CPU count is an
     * accounting finding: the lost update.
     */
    public static Program lostUpdate(int cpus, int pad) {
        return lostUpdate(cpus, pad, false);
    }

    /**
     * {@link #lostUpdate(int, int)} whose padding reads the counter ({@code sharedPad}) instead of
     * working locally: every padding step is then a decision point, so the space of schedules
     * is too large to cover in any time a test would wait (for tests of the time limit).
     */
    public static Program lostUpdate(int cpus, int pad, boolean sharedPad) {
        return new Program() {
            private void padding(Cpu cpu, Word c) {
                for (int i = 0; i < pad; i++) {
                    if (sharedPad) {
                        cpu.step(PAD, c, Access.READ);
                    } else {
                        cpu.local(PAD);
                    }
                }
            }

            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(cpus, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                Word c = counter(m);
                padding(cpu, c);
                cpu.step(READ, c, Access.READ);
                int v = c.value;
                cpu.step(WRITE, c, Access.WRITE);
                c.value = v + 1;
                padding(cpu, c);
            }

            @Override
            public void atQuiescence(Machine m) {
                if (counter(m).value != cpus) {
                    m.detectors().report(FindingKind.ACCOUNTING, null, -1, WRITE,
                            "lost update: counter is " + counter(m).value + " after " + cpus + " increments");
                }
            }
        };
    }

    /**
     * The lost update on a page's count: each CPU loads page 0's count and stores it plus one
     * (quietly, behind a READ and a WRITE step on the page), the page watched so traces show it.
     */
    public static Program lostUpdateOnPage() {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                Machine m = new Machine(MachineConfig.of(2, 16), gate);
                m.watch(m.page(0));
                m.watch(m.page(1));
                return m;
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                org.mmemu.core.page.Page page = m.page(0);
                cpu.local(PAD);
                cpu.step(READ, page, Access.READ);
                int v = page.count();
                cpu.step(WRITE, page, Access.WRITE);
                page.setCountQuietly(v + 1);
            }
        };
    }

    /** Two CPUs, each taking {@code steps} steps of {@code access} on the targets {@code targets[cpu][i]}. */
    public static Program steps(Access access, String[][] targets) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(targets.length, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                for (String t : targets[cpu.id()]) {
                    Word w = words(m).computeIfAbsent(t, Word::new);
                    cpu.step(Site.of("cpu" + cpu.id(), "touch " + t).dataRace(), w, access);
                }
            }
        };
    }

    /** Two CPUs taking two locks in opposite orders: the ABBA deadlock. */
    public static Program abba() {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(2, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                SpinLock a = m.extension("A", x -> new SpinLock("lock_a"));
                SpinLock b = m.extension("B", x -> new SpinLock("lock_b"));
                SpinLock first = cpu.id() == 0 ? a : b;
                SpinLock second = cpu.id() == 0 ? b : a;
                first.spinLock(cpu);
                second.spinLock(cpu);
                second.spinUnlock(cpu);
                first.spinUnlock(cpu);
            }
        };
    }

    /**
     * A CPU that steps forever (until the step bound ends it), changing state as it goes (so
     * it is no livelock: the detector cannot see a Word's value, and a loop writing what it
     * cannot see never counts).
     */
    public static Program endless() {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(2, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                Word w = counter(m);
                for (;;) {
                    cpu.step(WRITE, w, Access.WRITE);
                    w.value++;
                }
            }
        };
    }

    /** Programs with interrupts: the same code, plus {@code irqs}. */
    public static Program withInterrupts(Program p, List<InterruptSpec> irqs) {
        return p.withInterrupts(irqs);
    }
}
