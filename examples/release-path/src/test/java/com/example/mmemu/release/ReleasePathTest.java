package com.example.mmemu.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mmemu.engine.ExploreResult;

class ReleasePathTest {
    @Test
    void twoPagevecReleasesFreePOnceUnderBothEngines() {
        var program = ReleasePath.twoReleases("mm1");
        assertTrue(ReleasePath.underFreeEngine(program, 200).isEmpty());
        ExploreResult r = ReleasePath.underControlledEngine(program);
        assertEquals(ExploreResult.Verdict.NONE, r.verdict(), r::toString);
        assertTrue(r.complete() && r.schedules() > 1, r::toString);
    }
}
