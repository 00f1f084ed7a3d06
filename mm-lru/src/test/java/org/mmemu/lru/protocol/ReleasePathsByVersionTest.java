package org.mmemu.lru.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.KernelProfile;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.SeedRaceExpectation;
import org.mmemu.lru.TestMachines;
import org.mmemu.lru.ZoneLru;

/**
 * Issue 23 on the release paths of mm-lru: release_pages() relocks after a full
 * {@code pages_to_free} only up to changeset 49 (item 4); {@code pagevec_free()} frees the
 * last page first (item 8); the BK-of-18-Aug put-back runs DEBUG_LRU_PAGE's two loads on its
 * inactive branch only (item 7).
 */
class ReleasePathsByVersionTest {
    private final List<String> sites = new ArrayList<>();
    private final List<Object> targets = new ArrayList<>();

    /** A ZoneLockProtocol of any version: the paths as {@code profile} says. */
    private static LruProtocol at(KernelProfile profile) {
        return new ZoneLockProtocol(profile) {
            @Override
            public String name() {
                return "test-" + profile.version();
            }

            @Override
            public String origin() {
                return "test";
            }

            @Override
            public String version() {
                return profile.version();
            }

            @Override
            public List<String> changesets() {
                return List.of();
            }

            @Override
            public SeedRaceExpectation expectedOnSeedRace() {
                return SeedRaceExpectation.doubleFree("test");
            }
        };
    }

    private Machine boot(LruProtocol protocol) {
        Machine m = new Machine(MachineConfig.of(1, 256), (cpu, site, target, field, access) -> {
            sites.add(site.toString());
            targets.add(target);
        });
        Lru.install(m, protocol);
        return m;
    }

    private List<Page> lruPages(Machine m, int n) {
        List<Page> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestMachines.lruPage(m, 1, false));
        }
        return out;
    }

    private long locks() {
        return sites.stream().filter(s -> s.equals("spin_lock: Normal->lru_lock")).count();
    }

    @Test
    void releasePagesRelocksAfterAFullPagesToFreeOnlyBeforeChangeset49() {
        for (KernelProfile k : List.of(KernelProfile.V2_5_33, KernelProfile.V2_5_39, KernelProfile.V2_6_0)) {
            Machine m = boot(at(k));
            List<Page> pages = lruPages(m, PagesToFree.PAGEVEC_SIZE);
            sites.clear();
            Lru.of(m).protocol().releasePages(m.cpu(0), pages.toArray(Page[]::new), pages.size());
            // 2.5.33: lock at the first page, unlock and free at the 16th, lock again, unlock at the end
            assertThat(locks()).as(k.version()).isEqualTo(k == KernelProfile.V2_5_33 ? 2 : 1);
            assertThat(m.cpu(0).irqsDisabled()).isFalse();
        }
    }

    @Test
    void pagesToFreeFreesTheLastPageFirst() {
        Machine m = boot(new Mm1Protocol());
        List<Page> pages = lruPages(m, 3);
        sites.clear();
        targets.clear();
        Lru.of(m).protocol().releasePages(m.cpu(0), pages.toArray(Page[]::new), pages.size());
        List<Object> freed = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            if (sites.get(i).equals("__free_pages_ok: BUG() checks")) {
                freed.add(targets.get(i));
            }
        }
        List<Object> reversed = new ArrayList<>(pages);
        Collections.reverse(reversed);
        assertThat(freed).containsExactlyElementsOf(reversed);
    }

    @Test
    void preFixPutBackRunsDebugLruPageOnTheInactiveBranchOnly() {
        Machine m = boot(new PreFixProtocol());
        ZoneLru zl = Lru.of(m).zone(m.zone(ZoneType.NORMAL));
        for (boolean active : new boolean[] {false, true}) {
            Page p = TestMachines.lruPage(m, 1, active);
            zl.lruLock().spinLockIrq(m.cpu(0));
            p.testClearPageLru(m.cpu(0), LruSteps.ISOLATE_CLEAR_LRU);
            p.listDel(m.cpu(0), LruSteps.ISOLATE_DEL);
            org.mmemu.core.list.ListHead pageList = new org.mmemu.core.list.ListHead();
            pageList.listAdd(m.cpu(0), LruSteps.ISOLATE_ADD, p);
            sites.clear();
            Lru.of(m).protocol().putbackLruPage(m.cpu(0), zl, p);
            zl.lruLock().spinUnlockIrq(m.cpu(0));
            List<String> debug = sites.stream().filter(s -> s.startsWith("DEBUG_LRU_PAGE")).toList();
            if (active) {
                assertThat(debug).isEmpty();
            } else {
                assertThat(debug).containsExactly("DEBUG_LRU_PAGE: if (!PageLRU(page)) BUG()",
                        "DEBUG_LRU_PAGE: if (PageActive(page)) BUG()");
            }
        }
    }
}
