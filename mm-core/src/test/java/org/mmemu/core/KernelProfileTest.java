package org.mmemu.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What each kernel's choices are (mm/swap.c and mm/vmscan.c of 2.5.31-mm1 to 2.6.16). */
class KernelProfileTest {
    @Test
    void shrinkCacheCountsEveryPageFrom2539AndRefillFrom2544() {
        for (String v : new String[] {"2.5.31-mm1", "2.5.33", "2.5.38"}) {
            assertThat(KernelProfile.of(v).shrinkCacheCountsScanned()).as(v).isFalse();
            assertThat(KernelProfile.of(v).refillCountsScanned()).as(v).isFalse();
        }
        assertThat(KernelProfile.of("2.5.39").shrinkCacheCountsScanned()).isTrue();
        // "fix a VM lockup" (4fac8df90b) is in 2.5.44, not in 2.5.43 (catalogue entry 03)
        assertThat(KernelProfile.of("2.5.43").refillCountsScanned()).isFalse();
        assertThat(KernelProfile.of("2.5.44").refillCountsScanned()).isTrue();
        assertThat(KernelProfile.of("2.6.0").refillCountsScanned()).isTrue();
        assertThat(KernelProfile.V2_6_16.shrinkCacheCountsScanned()).isTrue();
    }

    @Test
    void theReleaseSideChoicesOfTheShippedKernels() {
        // pageCacheReleaseBugOn, refillSkipsZeroCount, putPageTestzeroBugOn, relockAfterFree, drain
        assertThat(flags(KernelProfile.V2_5_31_BK)).containsExactly(true, false, false, true, false);
        assertThat(flags(KernelProfile.V2_5_31_MM1)).containsExactly(true, false, false, true, false);
        assertThat(flags(KernelProfile.V2_5_33)).containsExactly(false, true, true, true, false);
        assertThat(flags(KernelProfile.V2_6_7)).containsExactly(false, true, false, false, true);
        assertThat(flags(KernelProfile.V2_6_16)).containsExactly(false, true, false, false, true);
    }

    /**
     * Issue 23, item 4: release_pages() retakes the lock after a full pages_to_free from 22 (-mm1)
     * to changeset 49 (19 Sep 2002): -mm1 and 2.5.33 relock, 2.5.39 and 2.6 do not (before, every
     * version before 2.6.0 relocked, 2.5.39 included).
     */
    @Test
    void relockAfterFreeEndsWithChangeset49() {
        assertThat(KernelProfile.V2_5_31_MM1.relockAfterFree()).isTrue();
        assertThat(KernelProfile.V2_5_33.relockAfterFree()).isTrue();
        assertThat(KernelProfile.of("2.5.36").relockAfterFree()).isTrue();
        assertThat(KernelProfile.of("2.5.37").relockAfterFree()).isFalse();
        assertThat(KernelProfile.V2_5_39.relockAfterFree()).isFalse();
        assertThat(KernelProfile.V2_6_0.relockAfterFree()).isFalse();
        assertThat(KernelProfile.V2_6_7.relockAfterFree()).isFalse();
    }

    /** Issue 23, items 7 and 11 and the allocator: the debug load, list_del's stores, the free checks by version. */
    @Test
    void releaseSideChoicesFollowTheStoredText() {
        assertThat(KernelProfile.V2_5_31_MM1.putPageTestzeroBugOn()).isFalse();
        assertThat(KernelProfile.V2_5_33.putPageTestzeroBugOn()).isTrue();
        assertThat(KernelProfile.V2_6_0.putPageTestzeroBugOn()).isTrue();
        assertThat(KernelProfile.V2_6_6.putPageTestzeroBugOn()).isTrue();
        assertThat(KernelProfile.V2_6_7.putPageTestzeroBugOn()).as("the biased Page makes the load itself").isFalse();
        assertThat(KernelProfile.V2_5_33.listDelPoisons()).isFalse();
        assertThat(KernelProfile.V2_5_39.listDelPoisons()).isFalse();
        assertThat(KernelProfile.V2_6_0.listDelPoisons()).isTrue();
        assertThat(KernelProfile.V2_5_31.freeChecks()).isEqualTo(org.mmemu.core.page.FreeChecks.V2_5_31);
        assertThat(KernelProfile.V2_5_31_BK.freeChecks()).isEqualTo(org.mmemu.core.page.FreeChecks.V2_5_32);
        assertThat(KernelProfile.V2_5_32.freeChecks()).isEqualTo(org.mmemu.core.page.FreeChecks.V2_5_32);
        assertThat(KernelProfile.V2_5_31_MM1.freeChecks()).isEqualTo(org.mmemu.core.page.FreeChecks.V2_5_33);
        assertThat(KernelProfile.V2_5_39.freeChecks()).isEqualTo(org.mmemu.core.page.FreeChecks.V2_5_33);
        assertThat(KernelProfile.V2_6_0.freeChecks()).isEqualTo(org.mmemu.core.page.FreeChecks.V2_6_0);
        assertThat(KernelProfile.V2_6_7.freeChecks()).isEqualTo(org.mmemu.core.page.FreeChecks.V2_6_6);
    }

    @Test
    void aNameThatIsNoVersionRunsAs2533() {
        assertThat(KernelProfile.of("constructed")).isEqualTo(
                new KernelProfile("constructed", false, true, true, true, false, false, false, false,
                        org.mmemu.core.page.FreeChecks.V2_5_33, ReclaimShape.of("constructed"),
                        RmapShape.of("constructed")));
        assertThat(KernelProfile.of(null).drainInPagevecRelease()).isFalse();
    }

    @Test
    void aSuffixSortsAfterItsReleaseAndBeforeTheNext() {
        assertThat(KernelProfile.compare("2.5.31-mm1", "2.5.31")).isPositive();
        assertThat(KernelProfile.compare("2.5.31-mm1", "2.5.32")).isNegative();
        assertThat(KernelProfile.compare("2.6.16", "2.6.7")).isPositive();
        assertThat(KernelProfile.compare("constructed", "2.5.33")).isZero();
        assertThat(KernelProfile.V2_5_33.atLeast("2.5.32")).isTrue();
    }

    private static Boolean[] flags(KernelProfile k) {
        return new Boolean[] {k.pageCacheReleaseBugOn(), k.refillSkipsZeroCount(), k.putPageTestzeroBugOn(),
            k.relockAfterFree(), k.drainInPagevecRelease()};
    }
}
