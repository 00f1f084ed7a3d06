package org.mmemu.lru;

import org.mmemu.lru.protocol.LruSteps;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.engine.FreeEngine;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.protocol.ProtocolRegistry;

/**
 * The correct protocols under the free engine (a real thread per CPU): a releaser and a
 * reclaimer working the same zone at full speed. A (cpu0) holds the only reference to every
 * page (count 1) and drops them in pagevecs; B (cpu1) keeps reclaiming the inactive list until
 * both lists are empty. Whatever the host's timing, every page ends free exactly once, the
 * lists empty and the counters zero. And the race was really run: B either refused a page
 * whose count A had just taken to zero, or held a page across A's put so that B's own release
 * was the last one. (What it cannot show is a rare race; that is the controlled engine's job,
 * see the race tests.)
 */
class FreeEngineStressTest {
    private static final int PAGES = 96;
    private static final Site PICK = Site.of("shrink_cache", "list_empty(&zone->inactive_list)");
    private static final Site PICK_ACTIVE = Site.of("refill_inactive_zone", "list_empty(&zone->active_list)");

    /** Per machine: A's pages, and what B saw of the race. */
    static final class Shared {
        final List<Page> pages = new ArrayList<>();
        /** B's isolations refused because the count was zero (A's put got there first). */
        final LongAdder refusals = new LongAdder();
        /** Pages B isolated that were free right after B's release: A's put came while B held them. */
        final LongAdder lastPutByB = new LongAdder();
    }

    private static Program program(String protocol) {
        return new Program() {
            @Override
            public Machine boot(org.mmemu.core.emu.StepGate gate) {
                Machine m = TestMachines.boot(ProtocolRegistry.onClassPath().byName(protocol), 2, gate);
                Shared s = m.extension(Shared.class, x -> new Shared());
                for (int i = 0; i < PAGES; i++) {
                    s.pages.add(TestMachines.lruPage(m, 1, i % 4 == 0));
                }
                return m;
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                Lru lru = Lru.of(m);
                Shared s = m.extension(Shared.class, x -> new Shared());
                List<Page> pages = s.pages;
                if (cpu.id() == 0) {
                    for (int i = 0; i < PAGES; i += 16) {
                        lru.protocol().releasePages(cpu, pages.subList(i, i + 16).toArray(new Page[0]), 16);
                    }
                } else {
                    ZoneLru zl = lru.zone(TestMachines.normal(m));
                    while (reclaimPass(cpu, m, lru, zl, s)) {
                        // until A has released every page
                    }
                }
            }
        };
    }

    /**
     * Isolate up to eight pages from the inactive tail, put them all back, drop the references.
     * False once both lists are empty (A has released everything).
     */
    private static boolean reclaimPass(Cpu cpu, Machine m, Lru lru, ZoneLru zl, Shared s) {
        ListHead pageList = new ListHead();
        List<Page> taken = new ArrayList<>();
        zl.lruLock().spinLockIrq(cpu);
        if (zl.inactiveList().listEmpty(cpu, PICK) && zl.activeList().listEmpty(cpu, PICK_ACTIVE)) {
            zl.lruLock().spinUnlockIrq(cpu);
            return false;
        }
        for (int n = 0; n < 8 && !zl.inactiveList().listEmpty(cpu, PICK); n++) {
            Page page = zl.inactiveList().prev().entry(Page.class);
            if (lru.protocol().isolateLruPage(cpu, zl, page, pageList, false)) {
                taken.add(page);
            } else {
                s.refusals.increment();
            }
        }
        LruSteps.count(cpu, zl, false, taken.size()); // zone->nr_inactive -= nr_taken
        for (Page p : taken) {
            lru.protocol().putbackLruPage(cpu, zl, p);
        }
        zl.lruLock().spinUnlockIrq(cpu);
        lru.protocol().releasePages(cpu, taken.toArray(new Page[0]), taken.size());
        for (Page p : taken) {
            if (m.detectors().isFree(p.pfn())) {
                s.lastPutByB.increment();
            }
        }
        return true;
    }

    @ParameterizedTest
    @ValueSource(strings = {"always-lock", "dec-and-lock", "testone", "unless-zero"})
    void everyPageEndsFreeExactlyOnce(String protocol) {
        long refusals = 0;
        long lastPutByB = 0;
        int rounds = 0;
        // at least 5 rounds; more (up to 50) only if the host's timing has not yet overlapped them
        while (rounds < 5 || (refusals + lastPutByB == 0 && rounds < 50)) {
            rounds++;
            RunResult r = new FreeEngine(Duration.ofSeconds(20)).run(program(protocol));
            assertThat(r.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
            assertThat(r.findings()).isEmpty();
            Machine m = r.machine();
            ZoneLru zl = Lru.of(m).zone(TestMachines.normal(m));
            assertThat(zl.nrActive() + zl.nrInactive()).isZero();
            assertThat(zl.activeList().isEmpty() && zl.inactiveList().isEmpty()).isTrue();
            Shared s = m.extension(Shared.class, x -> new Shared());
            for (Page p : s.pages) {
                assertThat(m.detectors().isFree(p.pfn())).isTrue();
            }
            refusals += s.refusals.sum();
            lastPutByB += s.lastPutByB.sum();
        }
        System.out.println(protocol + ": " + rounds + " rounds, B refused a zero-count page " + refusals
                + " times, B's release was the last put " + lastPutByB + " times");
        assertThat(refusals + lastPutByB).as("the releaser and the reclaimer really overlapped").isPositive();
    }
}
