package org.mmemu.lru.race;

import org.mmemu.lru.protocol.LruSteps;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.Program;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.TestMachines;
import org.mmemu.lru.ZoneLru;
import org.mmemu.lru.protocol.ProtocolRegistry;

/**
 * The two-CPU programs of docs/RACE.md, calling the protocols directly (no reclaim module):
 * page P sits on the Normal zone's inactive list with one reference, held by CPU A (cpu0),
 * and no mapping. A drops it; B (cpu1) does what shrink_cache() does to it — pick it from the
 * tail under the lock, isolate it, let go of the lock, find it unreclaimable
 * ({@code mapping == NULL}: keep_locked, row 10), put it back under the lock and release its
 * reference through a pagevec (row 11).
 */
final class LruRace {
    static final Site PICK = Site.of("shrink_cache", "list_empty(&zone->inactive_list)");

    private LruRace() {
    }

    /** What CPU A does with its pages. */
    enum Release {
        /** {@code __pagevec_release([P])}. */
        PAGEVEC_P,
        /** {@code __pagevec_release([Q, P])}: P is not the first page in the vector (condition 5). */
        PAGEVEC_Q_P,
        /**
         * {@code __pagevec_release([Q, P])} with Q at count 2: Q's decrement does not reach zero,
         * so P is still the first page to hit zero and the lock is still taken at P.
         */
        PAGEVEC_Q2_P,
        /** {@code page_cache_release(P)}. */
        PAGE_CACHE_RELEASE
    }

    /** B's part: shrink_cache() on the zone, with shrink_list() as keep_locked (rows 1-11). */
    static void shrinkCacheStandIn(Cpu b, Lru lru, ZoneLru zl) {
        shrinkCacheStandIn(b, lru, zl, new LongAdder());
    }

    /** The same, counting in {@code refusals} each isolation the protocol refused. */
    static void shrinkCacheStandIn(Cpu b, Lru lru, ZoneLru zl, LongAdder refusals) {
        LruProtocol protocol = lru.protocol();
        ListHead pageList = new ListHead();
        zl.lruLock().spinLockIrq(b);
        if (zl.inactiveList().listEmpty(b, PICK)) {
            zl.lruLock().spinUnlockIrq(b);
            return;
        }
        Page page = zl.inactiveList().prev().entry(Page.class);
        boolean taken = protocol.isolateLruPage(b, zl, page, pageList, false);
        LruSteps.count(b, zl, false, taken ? 1 : 0); // zone->nr_inactive -= nr_taken
        zl.lruLock().spinUnlockIrq(b);
        if (!taken) {
            refusals.increment();
            return;
        }
        shrinkListKeepLocked(b, page, pageList);
        // the put-back (row 11)
        zl.lruLock().spinLockIrq(b);
        protocol.putbackLruPage(b, zl, page);
        zl.lruLock().spinUnlockIrq(b);
        protocol.releasePages(b, new Page[] {page}, 1);
    }

    static final Site SL_DEL = Site.of("shrink_list", "list_del(&page->lru)");
    static final Site SL_LOCK = Site.of("shrink_list", "if (TestSetPageLocked(page))");
    static final Site SL_ACTIVE = Site.of("shrink_list", "BUG_ON(PageActive(page))");
    static final Site SL_WRITEBACK = Site.of("shrink_list", "if (PageWriteback(page))");
    static final Site SL_CHAIN_LOCK = Site.of("shrink_list", "pte_chain_lock(page)");
    static final Site SL_REFERENCED = Site.of("shrink_list", "page_referenced(page)");
    static final Site SL_CHAIN_UNLOCK = Site.of("shrink_list", "pte_chain_unlock(page)");
    static final Site SL_DIRTY = Site.of("shrink_list", "if (PageDirty(page))");
    static final Site SL_PRIVATE = Site.of("shrink_list", "if (PagePrivate(page))");
    static final Site SL_MAPPING = Site.of("shrink_list", "if (!mapping) goto keep_locked");
    static final Site SL_UNLOCK = Site.of("shrink_list", "keep_locked: unlock_page(page)");
    static final Site SL_KEEP = Site.of("shrink_list", "keep: list_add(&page->lru, &ret_pages)");
    static final Site SL_SPLICE = Site.of("shrink_list", "list_splice(&ret_pages, page_list)");

    /**
     * mm/vmscan.c: shrink_list() (2.5.32, F2; docs/FIDELITY.md) for one unmapped page without
     * buffers, reduced to its loads and bitops: not under writeback, not referenced, not dirty,
     * no PagePrivate, {@code mapping == NULL} ("truncate got there first"): keep_locked. A
     * stand-in for mm-reclaim's mirror, here so that B's row 10 lasts as long as it would (the
     * footnote's "the interrupt take longer than the runtime for shrink_list").
     */
    static void shrinkListKeepLocked(Cpu b, Page page, ListHead pageList) {
        ListHead retPages = new ListHead();
        page.listDel(b, SL_DEL);
        if (page.testSetPageLocked(b, SL_LOCK)) {
            throw new IllegalStateException("setup: page locked");
        }
        page.pageActive(b, SL_ACTIVE);
        page.pageWriteback(b, SL_WRITEBACK);
        page.testSetFlag(b, SL_CHAIN_LOCK, org.mmemu.core.page.PageFlags.PG_chainlock);
        page.pageReferenced(b, SL_REFERENCED);
        page.clearFlag(b, SL_CHAIN_UNLOCK, org.mmemu.core.page.PageFlags.PG_chainlock);
        page.pageDirty(b, SL_DIRTY);
        page.pagePrivate(b, SL_PRIVATE);
        if (page.mapping(b, SL_MAPPING) != null) {
            throw new IllegalStateException("setup: the race page has no mapping");
        }
        page.unlockPage(b, SL_UNLOCK);
        retPages.listAdd(b, SL_KEEP, page);
        pageList.listSplice(b, SL_SPLICE, retPages);
    }

    /** How many steps {@link #shrinkListKeepLocked} takes (B's row 10). */
    static int shrinkListSteps() {
        int[] n = {0};
        boolean[] on = {false};
        Machine m = TestMachines.boot(ProtocolRegistry.onClassPath().byName("mm1"), 2, (cpu, site, target, field, access) -> {
            if (on[0]) {
                n[0]++;
            }
        });
        Page p = TestMachines.alloc(m);
        ListHead pageList = new ListHead();
        pageList.addTailQuietly(p);
        on[0] = true;
        shrinkListKeepLocked(m.cpu(1), p, pageList);
        return n[0];
    }

    /**
     * The docs/RACE.md program for {@code protocol}: A releases P as {@code release} says, B runs the
     * shrink_cache stand-in; {@code interrupts} may arrive on A.
     */
    static Program section3(String protocol, Release release, List<InterruptSpec> interrupts) {
        return section3(protocol, release, interrupts, new LongAdder());
    }

    /**
     * The same, counting in {@code refusals} the executions in which B's isolation was refused
     * (the count was zero: the releaser got there first). The explorer may run executions on
     * several threads, hence the adder; it counts pruned executions too.
     */
    static Program section3(String protocol, Release release, List<InterruptSpec> interrupts, LongAdder refusals) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                Machine m = TestMachines.boot(ProtocolRegistry.onClassPath().byName(protocol), 2, gate);
                // Q (only for condition 5) nearer the head; P at the tail, where B picks
                Page q = release == Release.PAGEVEC_Q_P ? TestMachines.lruPage(m, 1, false)
                        : release == Release.PAGEVEC_Q2_P ? TestMachines.lruPage(m, 2, false) : null;
                Page p = TestMachines.lruPage(m, 1, false);
                m.watch(p);
                if (q != null) {
                    m.watch(q);
                }
                return m;
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                Lru lru = Lru.of(m);
                ZoneLru zl = lru.zone(TestMachines.normal(m));
                if (cpu.id() == 1) {
                    shrinkCacheStandIn(cpu, lru, zl, refusals);
                    return;
                }
                Page p = pageP(m);
                switch (release) {
                    case PAGEVEC_P -> lru.protocol().releasePages(cpu, new Page[] {p}, 1);
                    case PAGEVEC_Q_P, PAGEVEC_Q2_P -> lru.protocol().releasePages(cpu, new Page[] {pageQ(m), p}, 2);
                    case PAGE_CACHE_RELEASE -> lru.protocol().pageCacheRelease(cpu, p);
                    default -> throw new IllegalStateException();
                }
            }

            @Override
            public List<InterruptSpec> interrupts() {
                return interrupts;
            }
        };
    }

    /** Two CPUs each dropping one of P's two references with page_cache_release(). */
    static Program twoReleases(String protocol) {
        return programOf(protocol, m -> TestMachines.lruPage(m, 2, false),
                (m, cpu) -> Lru.of(m).protocol().pageCacheRelease(cpu, pageP(m)));
    }

    private static Program programOf(String protocol, java.util.function.Function<Machine, Page> setup,
                                     BiConsumer<Machine, Cpu> code) {
        return Program.of(gate -> {
            Machine m = TestMachines.boot(ProtocolRegistry.onClassPath().byName(protocol), 2, gate);
            m.watch(setup.apply(m));
            return m;
        }, code);
    }

    /** P: the page set up first. */
    static Page pageP(Machine m) {
        return m.watched().get(0);
    }

    private static Page pageQ(Machine m) {
        return m.watched().get(1);
    }
}
