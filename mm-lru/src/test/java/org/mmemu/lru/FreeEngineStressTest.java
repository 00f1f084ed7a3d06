package org.mmemu.lru;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.engine.FreeEngine;
import org.mmemu.core.engine.Program;
import org.mmemu.core.engine.RunResult;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.protocol.Protocols;

/**
 * The correct protocols under the free engine (a real thread per CPU): a releaser and a
 * reclaimer working the same zone at full speed. Whatever the host's timing, every page ends
 * free exactly once, the lists empty and the counters zero. (What it cannot show is a rare
 * race; that is the controlled engine's job, see the race tests.)
 */
class FreeEngineStressTest {
    private static final int PAGES = 96;
    private static final Site PICK = Site.of("shrink_cache", "list_empty(&zone->inactive_list)");

    /** Per machine: the pages both CPUs hold a reference to. */
    static final class Shared {
        final List<Page> pages = new ArrayList<>();
    }

    private static Program program(String protocol) {
        return new Program() {
            @Override
            public Machine boot(org.mmemu.core.emu.StepGate gate) {
                Machine m = TestMachines.boot(Protocols.byName(protocol), 2, gate);
                Shared s = m.extension(Shared.class, x -> new Shared());
                for (int i = 0; i < PAGES; i++) {
                    s.pages.add(TestMachines.lruPage(m, 2, i % 4 == 0));
                }
                return m;
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                Lru lru = Lru.of(m);
                List<Page> pages = m.extension(Shared.class, x -> new Shared()).pages;
                if (cpu.id() == 0) {
                    for (int i = 0; i < PAGES; i += 16) {
                        lru.protocol().releasePages(cpu, pages.subList(i, i + 16).toArray(new Page[0]), 16);
                    }
                } else {
                    ZoneLru zl = lru.zone(TestMachines.normal(m));
                    for (int pass = 0; pass < 20; pass++) {
                        reclaimPass(cpu, lru, zl);
                    }
                    for (Page p : pages) {
                        lru.protocol().pageCacheRelease(cpu, p);
                    }
                }
            }
        };
    }

    /** Isolate up to eight pages from the inactive tail, put them all back, drop the references. */
    private static void reclaimPass(Cpu cpu, Lru lru, ZoneLru zl) {
        ListHead pageList = new ListHead();
        List<Page> taken = new ArrayList<>();
        zl.lruLock().spinLockIrq(cpu);
        for (int n = 0; n < 8 && !zl.inactiveList().listEmpty(cpu, PICK); n++) {
            Page page = zl.inactiveList().prev().entry(Page.class);
            if (lru.protocol().isolateLruPage(cpu, zl, page, pageList, false)) {
                taken.add(page);
            }
        }
        for (Page p : taken) {
            lru.protocol().putbackLruPage(cpu, zl, p);
        }
        zl.lruLock().spinUnlockIrq(cpu);
        lru.protocol().releasePages(cpu, taken.toArray(new Page[0]), taken.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"always-lock", "dec-and-lock", "testone", "unless-zero"})
    void everyPageEndsFreeExactlyOnce(String protocol) {
        for (int round = 0; round < 5; round++) {
            RunResult r = new FreeEngine(Duration.ofSeconds(20)).run(program(protocol));
            assertThat(r.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
            assertThat(r.findings()).isEmpty();
            Machine m = r.machine();
            ZoneLru zl = Lru.of(m).zone(TestMachines.normal(m));
            assertThat(zl.nrActive() + zl.nrInactive()).isZero();
            assertThat(zl.activeList().isEmpty() && zl.inactiveList().isEmpty()).isTrue();
            for (Page p : m.extension(Shared.class, x -> new Shared()).pages) {
                assertThat(m.detectors().isFree(p.pfn())).isTrue();
            }
        }
    }
}
