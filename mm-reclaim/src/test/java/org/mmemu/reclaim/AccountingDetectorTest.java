package org.mmemu.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.ZoneType;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.Program;
import org.mmemu.engine.control.Explorer;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.ZoneLru;
import org.mmemu.lru.protocol.ForwardingLruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.pagevec.LruAddPvecs;

/**
 * Issue 24, "Must show": the accounting detector on a protocol of this test's own whose
 * {@code __page_cache_release()} takes the page off the inactive list under lru_lock but makes
 * {@code zone->nr_inactive--} after the unlock, as a load and a store. While cpu1 adds a page
 * to the list under the lock ({@code lru_cache_add}, {@code lru_add_drain}), the search finds
 * the interleaving whose store loses cpu1's increment: an {@code accounting} finding with the
 * counter, the list's length and the last writers. Under mm1 itself, every trace is clean.
 */
class AccountingDetectorTest {
    /** The protocol: mm1's release path with the counter update moved out of the lock. */
    static final class CountOutsideLock extends ForwardingLruProtocol {
        private static final Site TESTZERO = Site.of("put_page", "put_page_testzero(page)");
        private static final Site CLEAR = Site.of("__page_cache_release", "TestClearPageLRU(page)");
        private static final Site DEL = Site.of("__page_cache_release", "list_del(&page->lru)");
        private static final Site LOAD = Site.of("__page_cache_release", "zone->nr_inactive-- [load, lock dropped]");
        private static final Site STORE = Site.of("__page_cache_release", "zone->nr_inactive-- [store]");
        private static final Site FREE = Site.of("__page_cache_release", "__free_pages_ok(page, 0)");

        CountOutsideLock(LruProtocol mm1) {
            super(mm1);
        }

        @Override
        public String name() {
            return "count-outside-lock";
        }

        @Override
        public String origin() {
            return "a test's own: nr_inactive updated after spin_unlock_irq";
        }

        @Override
        public String version() {
            return delegate().version();
        }

        @Override
        public void pageCacheRelease(Cpu cpu, Page page) {
            if (!page.putPageTestzero(cpu, TESTZERO)) {
                return;
            }
            ZoneLru zl = Lru.of(cpu).zoneOf(page);
            zl.lruLock().spinLockIrq(cpu);
            boolean wasLru = page.testClearPageLru(cpu, CLEAR);
            if (wasLru) {
                page.listDel(cpu, DEL);
            }
            zl.lruLock().spinUnlockIrq(cpu);
            if (wasLru) {
                int n = zl.nrInactive(cpu, LOAD);
                zl.setNrInactive(cpu, STORE, n - 1);
            }
            Lru.of(cpu).machine().pageAlloc().freePagesOk(cpu, page, 0, FREE);
        }
    }

    private static ExploreResult explore(boolean outsideLock) {
        LruProtocol mm1 = ProtocolRegistry.onClassPath().byName("mm1");
        Page[] pq = new Page[2];
        Program program = Program.of(gate -> {
            Machine m = new Machine(MachineConfig.of(2, 64), gate);
            Lru.install(m, outsideLock ? new CountOutsideLock(mm1) : mm1);
            for (int i = 0; i < 2; i++) {
                pq[i] = m.pageAlloc().allocPages(m.cpu(0), Gfp.GFP_KERNEL, 0);
            }
            Lru.of(m).zone(m.zone(ZoneType.NORMAL)).addQuietly(pq[0], false);
            return m;
        }, (m, cpu) -> {
            if (cpu.id() == 0) {
                Lru.of(cpu).protocol().pageCacheRelease(cpu, pq[0]);
            } else {
                LruAddPvecs.lruCacheAdd(cpu, pq[1]);
                LruAddPvecs.lruAddDrain(cpu);
            }
        });
        ExploreOptions o = ExploreOptions.defaults().withPolicy("dpor").withDelays(DelayModel.ANYWHERE)
                .withPreemptionBound(-1).withMaxSchedules(50_000).withTimeLimit(Duration.ofSeconds(60))
                .withShrink(false);
        return Explorer.explore(program, o);
    }

    @Test
    void aCounterUpdatedOutsideTheLockLosesAnIncrementAndIsFound() {
        ExploreResult r = explore(true);
        List<Finding> acc = r.findings().stream().filter(f -> f.kind() == FindingKind.ACCOUNTING).toList();
        assertThat(acc).isNotEmpty();
        Finding f = acc.get(0);
        assertThat(f.message()).contains("nr_inactive 0 but Normal->inactive_list holds 1 pages")
                .contains("lru_lock free");
        assertThat(f.related()).extracting(w -> w.site().toString())
                .contains("__page_cache_release: zone->nr_inactive-- [store]")
                .contains("add_page_to_inactive_list: zone->nr_inactive++");
        assertThat(r.findings()).extracting(Finding::kind).contains(FindingKind.DATA_RACE);
    }

    @Test
    void theSameRunsUnderMm1AreCleanOnEveryTrace() {
        ExploreResult r = explore(false);
        assertThat(r.complete()).isTrue();
        assertThat(r.findings()).isEmpty();
    }
}
