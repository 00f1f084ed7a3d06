package org.mmemu.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmemu.lru.KernelVersions;

/** What each kernel's reclaim loops count (mm/vmscan.c of 2.5.33, 2.5.39, 2.6.0). */
class ReclaimLoopsTest {
    @Test
    void shrinkCacheCountsEveryPageFrom2539AndRefillFrom260() {
        assertThat(ReclaimLoops.of("2.5.31-mm1")).isEqualTo(ReclaimLoops.UNBOUNDED);
        assertThat(ReclaimLoops.of("2.5.33")).isEqualTo(ReclaimLoops.UNBOUNDED);
        assertThat(ReclaimLoops.of("2.5.38")).isEqualTo(ReclaimLoops.UNBOUNDED);
        assertThat(ReclaimLoops.of("2.5.39")).isEqualTo(new ReclaimLoops(true, false));
        assertThat(ReclaimLoops.of("2.5.75")).isEqualTo(new ReclaimLoops(true, false));
        assertThat(ReclaimLoops.of("2.6.0")).isEqualTo(new ReclaimLoops(true, true));
        assertThat(ReclaimLoops.of("2.6.16")).isEqualTo(new ReclaimLoops(true, true));
    }

    @Test
    void aSuffixSortsAfterItsReleaseAndBeforeTheNext() {
        assertThat(KernelVersions.compare("2.5.31-mm1", "2.5.31")).isPositive();
        assertThat(KernelVersions.compare("2.5.31-mm1", "2.5.32")).isNegative();
        assertThat(KernelVersions.compare("2.6.16", "2.6.7")).isPositive();
        assertThat(KernelVersions.compare("constructed", "2.5.33")).isZero();
    }
}
