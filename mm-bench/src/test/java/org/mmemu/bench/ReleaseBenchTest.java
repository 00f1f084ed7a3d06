package org.mmemu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mmemu.bench.ReleaseBench.Mode;
import org.mmemu.bench.ReleaseBench.Path;
import org.mmemu.bench.ReleaseBench.Result;

/**
 * The release benchmark counts what it claims: one round (a 1 ns budget ends the run after its
 * first round) of 32 pages per CPU, every tenth page of the minority kind (slots 9, 19, 29: three
 * of 32). No timing is asserted.
 */
class ReleaseBenchTest {
    private static final Duration ONE_ROUND = Duration.ofNanos(1);
    private final ReleaseBench bench = new ReleaseBench(32);

    @Test
    void alwaysLockTakesTheLockOnEveryRelease() {
        Result r = bench.run("always-lock", 1, Mode.SHARED, Path.PAGE_CACHE_RELEASE, ONE_ROUND);
        assertThat(r.releases()).isEqualTo(32);
        assertThat(r.lastRefs()).isEqualTo(3);
        assertThat(r.acquisitions()).isEqualTo(32);
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void mm1TakesTheLockOnlyForALastReference() {
        Result shared = bench.run("mm1", 1, Mode.SHARED, Path.PAGE_CACHE_RELEASE, ONE_ROUND);
        assertThat(shared.acquisitions()).isEqualTo(shared.lastRefs()).isEqualTo(3);
        Result last = bench.run("mm1", 1, Mode.LAST, Path.PAGE_CACHE_RELEASE, ONE_ROUND);
        assertThat(last.lastRefs()).isEqualTo(29);
        assertThat(last.acquisitions()).isEqualTo(29);
        assertThat(last.lastRefShare()).isEqualTo(29 / 32.0);
        assertThat(last.findings()).isEmpty();
    }

    @Test
    void releasePagesTakesTheLockOncePerVectorWithALastReference() {
        Result r = bench.run("mm1", 1, Mode.LAST, Path.RELEASE_PAGES, ONE_ROUND);
        assertThat(r.releases()).isEqualTo(32);
        assertThat(r.acquisitions()).as("two vectors of 16, each with last references").isEqualTo(2);
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void twoCpusReleaseTheirOwnBatchesOnTheSharedZone() {
        Result r = bench.run("dec-and-lock", 2, Mode.LAST, Path.PAGE_CACHE_RELEASE, ONE_ROUND);
        assertThat(r.releases()).isEqualTo(64);
        assertThat(r.lastRefs()).isEqualTo(58);
        assertThat(r.acquisitions()).as("atomic_dec_and_lock locks only on the last put").isEqualTo(58);
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void severalRoundsRefillFreedPagesWithoutFindings() {
        Result r = bench.run("unless-zero", 2, Mode.LAST, Path.PAGE_CACHE_RELEASE, Duration.ofMillis(20));
        assertThat(r.releases()).isGreaterThan(64).matches(n -> n % 64 == 0, "whole rounds");
        assertThat(r.acquisitions()).isEqualTo(r.lastRefs());
        assertThat(r.findings()).isEmpty();
    }
}
