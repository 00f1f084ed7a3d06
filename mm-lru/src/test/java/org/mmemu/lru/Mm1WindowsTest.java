package org.mmemu.lru;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.protocol.Linux2533Protocol;
import org.mmemu.lru.protocol.Mm1Protocol;
import org.mmemu.lru.protocol.TestoneProtocol;

/**
 * The two windows of the seed mail's footnote [1], counted in steps under {@code mm1}
 * (docs/RACE.md): five steps between shrink_cache()'s {@code page_count()} load and its
 * {@code page_cache_get()} (rows 4-7), and three CPU-local steps, then the {@code cli}, between
 * the releaser's {@code put_page_testzero()} and the point where interrupts go off (row 8).
 */
class Mm1WindowsTest {
    private static final Site CLI = Site.of("local_irq_disable", "cli");
    private static final Site PUSHF_CLI = Site.of("local_irq_save", "pushf; cli");

    private final StepRecorder rec = new StepRecorder();
    private final Machine m = TestMachines.boot(new Mm1Protocol(), 2, rec);
    private final Lru lru = Lru.of(m);
    private final ZoneLru zl = lru.zone(TestMachines.normal(m));

    private static int indexOf(List<StepRecorder.Step> steps, Site site) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).site().equals(site)) {
                return i;
            }
        }
        throw new AssertionError("no step at " + site + " in " + steps);
    }

    @Test
    void isolationWindowIsTheFiveStepsOfListAdd() {
        Page p = TestMachines.lruPage(m, 1, false);
        Cpu b = m.cpu(1);
        ListHead pageList = new ListHead();
        zl.lruLock().spinLockIrq(b);
        rec.start();
        assertThat(lru.protocol().isolateLruPage(b, zl, p, pageList, false)).isTrue();
        List<StepRecorder.Step> steps = rec.stop();
        zl.lruLock().spinUnlockIrq(b);

        int load = indexOf(steps, Mm1Protocol.ISOLATE_COUNT);
        int get = indexOf(steps, Mm1Protocol.ISOLATE_GET);
        List<StepRecorder.Step> window = steps.subList(load + 1, get);
        assertThat(window).extracting(s -> s.site().toString()).containsExactly(
                "shrink_cache: list_add(&page->lru, &page_list) [1/5: load head->next]",
                "shrink_cache: list_add(&page->lru, &page_list) [2/5: next->prev = new]",
                "shrink_cache: list_add(&page->lru, &page_list) [3/5: new->next = next]",
                "shrink_cache: list_add(&page->lru, &page_list) [4/5: new->prev = prev]",
                "shrink_cache: list_add(&page->lru, &page_list) [5/5: prev->next = new]");
        // rows 2-3 come before the load, in this order: list_del is six steps (issue 23), all
        // before the window, so the window stays five
        assertThat(steps.subList(0, load)).extracting(s -> s.site().toString()).containsExactly(
                "shrink_cache: if (!TestClearPageLRU(page)) BUG()",
                "shrink_cache: list_del(&page->lru) [1/6: load entry->prev]",
                "shrink_cache: list_del(&page->lru) [2/6: load entry->next]",
                "shrink_cache: list_del(&page->lru) [3/6: next->prev = prev]",
                "shrink_cache: list_del(&page->lru) [4/6: prev->next = next]",
                "shrink_cache: list_del(&page->lru) [5/6: entry->next = NULL]",
                "shrink_cache: list_del(&page->lru) [6/6: entry->prev = NULL]");
        assertThat(steps.get(load).access()).isEqualTo(Access.READ);
        assertThat(steps.get(get).access()).isEqualTo(Access.WRITE);
        // the whole window runs with irqs off, under the lock: no interrupt widens it
        assertThat(steps).allMatch(s -> !s.irqsOn());
    }

    @Test
    void activePathOf2533HasNoWindowItsGetFollowsTheCountTest() {
        Machine m = TestMachines.boot(new Linux2533Protocol(), 2, rec);
        ZoneLru zl = Lru.of(m).zone(TestMachines.normal(m));
        LruProtocol protocol = Lru.of(m).protocol();
        Page p = TestMachines.lruPage(m, 1, true);
        Cpu b = m.cpu(1);
        ListHead hold = new ListHead();
        zl.lruLock().spinLockIrq(b);
        rec.start();
        assertThat(protocol.isolateLruPage(b, zl, p, hold, true)).isTrue();
        List<StepRecorder.Step> steps = rec.stop();
        zl.lruLock().spinUnlockIrq(b);

        int load = indexOf(steps, Mm1Protocol.REFILL_COUNT);
        int get = indexOf(steps, Mm1Protocol.REFILL_GET);
        assertThat(get).as("refill_inactive_zone (F6): page_cache_get right after the count test").isEqualTo(load + 1);
        assertThat(steps).extracting(StepRecorder.Step::site).doesNotContain(Mm1Protocol.ISOLATE_COUNT, Mm1Protocol.ISOLATE_GET);
        // the list_add onto l_hold comes after the get
        assertThat(steps.subList(get + 1, steps.size())).extracting(s -> s.site().toString())
                .startsWith("refill_inactive_zone: list_add(&page->lru, &l_hold) [1/5: load head->next]");
        assertThat(p.count()).isEqualTo(2);
        assertThat(hold.size()).isEqualTo(1);
    }

    @Test
    void pagevecReleaseWindowIsThreeLocalStepsThenTheCli() {
        Page p = TestMachines.lruPage(m, 1, false);
        Page q = TestMachines.lruPage(m, 1, false);
        Cpu a = m.cpu(0);
        rec.start();
        lru.protocol().releasePages(a, new Page[] {p, q}, 2);
        List<StepRecorder.Step> steps = rec.stop();

        int testzero = indexOf(steps, Mm1Protocol.PV_TESTZERO);
        int cli = indexOf(steps, CLI);
        assertThat(steps.subList(testzero + 1, cli)).extracting(StepRecorder.Step::site).containsExactly(
                Mm1Protocol.PV_TEST_RESULT, Mm1Protocol.PV_PAGE_ZONE, Mm1Protocol.PV_ZONE_CMP);
        assertThat(steps.subList(testzero + 1, cli + 1))
                .as("row 8: local steps, each one a point where an interrupt may arrive")
                .allMatch(s -> s.access() == Access.LOCAL && s.irqsOn());
        assertThat(steps.get(cli + 1).access()).isEqualTo(Access.LOCK);

        // footnote condition 5: the second page's decrement runs under the lock, irqs off
        int second = -1;
        for (int i = cli; i < steps.size(); i++) {
            if (steps.get(i).site().equals(Mm1Protocol.PV_TESTZERO)) {
                second = i;
                break;
            }
        }
        assertThat(second).isPositive();
        assertThat(steps.get(second).irqsOn()).isFalse();
        assertThat(steps.subList(second, steps.size())).noneMatch(s -> s.site().equals(CLI));
    }

    @Test
    void pageCacheReleaseWindowIsThreeLocalStepsAndTheEntryBugOnThenThePushfCli() {
        Page p = TestMachines.lruPage(m, 1, false);
        Cpu a = m.cpu(0);
        rec.start();
        lru.protocol().pageCacheRelease(a, p);
        List<StepRecorder.Step> steps = rec.stop();

        int testzero = indexOf(steps, Mm1Protocol.PCR_TESTZERO);
        int cli = indexOf(steps, PUSHF_CLI);
        assertThat(steps.subList(testzero + 1, cli)).extracting(StepRecorder.Step::site).containsExactly(
                Mm1Protocol.PCR_TEST_RESULT, Mm1Protocol.PCR_CALL, Mm1Protocol.PCR_PAGE_ZONE, Mm1Protocol.PCR_BUG_ON);
        // -mm1's entry BUG_ON is a load of the count, the rest are instructions; irqs on throughout
        assertThat(steps.subList(testzero + 1, cli + 1)).allMatch(s -> s.irqsOn());
        assertThat(steps.subList(testzero + 1, cli + 1)).filteredOn(s -> s.access() != Access.LOCAL)
                .extracting(StepRecorder.Step::site).containsExactly(Mm1Protocol.PCR_BUG_ON);
        // after the lock: the recheck comes before the free
        assertThat(indexOf(steps, Mm1Protocol.PCR_RECHECK)).isGreaterThan(cli);
    }

    @Test
    void testoneHasNoIsolationWindowItsTestIsItsGet() {
        Machine biased = TestMachines.boot(new TestoneProtocol(), 2, rec);
        ZoneLru bzl = Lru.of(biased).zone(TestMachines.normal(biased));
        Page p = TestMachines.lruPage(biased, 1, false);
        Cpu b = biased.cpu(1);
        ListHead pageList = new ListHead();
        bzl.lruLock().spinLockIrq(b);
        rec.start();
        assertThat(Lru.of(biased).protocol().isolateLruPage(b, bzl, p, pageList, false)).isTrue();
        List<StepRecorder.Step> steps = rec.stop();
        bzl.lruLock().spinUnlockIrq(b);
        assertThat(steps).extracting(StepRecorder.Step::site).doesNotContain(Mm1Protocol.ISOLATE_COUNT, Mm1Protocol.ISOLATE_GET);
        assertThat(steps.stream().filter(s -> s.site().equals(TestoneProtocol.ISOLATE_TESTONE)).count())
                .as("the count test and the get are one atomic step").isEqualTo(1);
        assertThat(p.count()).isEqualTo(2);
    }
}
