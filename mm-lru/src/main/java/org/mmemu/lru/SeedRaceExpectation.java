package org.mmemu.lru;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * What a protocol is expected to do on the seed race: whether the page is freed twice, and the
 * one-line summary the command line prints beside the verdict.
 *
 * @param doubleFree whether exploring the seed race is expected to find a double free
 * @param summary    the expectation in words, e.g. {@code "correct; lock only on the last put"}
 *
 * <p>Emulator, not a mirror. The race it describes is between mm/swap.c: release_pages()
 * (2.5.31-mm1) and mm/vmscan.c: shrink_cache() (2.5.31-mm1); see docs/RACE.md.
 */
public record SeedRaceExpectation(boolean doubleFree, String summary) {
    public SeedRaceExpectation {
        checkArgument(summary != null && !summary.isBlank(), "a seed-race expectation needs a summary");
    }

    /** Expected to free each page once. */
    public static SeedRaceExpectation correct(String summary) {
        return new SeedRaceExpectation(false, summary);
    }

    /** Expected to free the page twice under some schedule. */
    public static SeedRaceExpectation doubleFree(String summary) {
        return new SeedRaceExpectation(true, summary);
    }
}
