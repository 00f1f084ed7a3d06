package org.mmemu.core.emu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmemu.core.page.PageFlags;

/** The fields of a target that partial-order reduction keeps apart, and those it must not. */
class AccessTest {
    private final int lru = Access.flag(PageFlags.PG_lru);
    private final int locked = Access.flag(PageFlags.PG_locked);

    @Test
    void differentFieldsOfAPageAreApart() {
        assertThat(Access.sameField(Access.COUNT, lru)).isFalse();
        assertThat(Access.sameField(Access.COUNT, Access.LINK)).isFalse();
        assertThat(Access.sameField(Access.PTE_CHAIN, Access.COUNT)).isFalse();
        assertThat(Access.sameField(lru, locked)).isFalse();
        assertThat(Access.sameField(Access.FLAGS, Access.COUNT)).isFalse();
    }

    @Test
    void theWholeTargetMeetsEveryFieldAndAllFlagsEveryFlag() {
        for (int f : new int[] {Access.COUNT, Access.LINK, Access.MAPPING, Access.PTE_CHAIN, Access.INDEX,
                Access.PRIVATE, Access.FLAGS, lru}) {
            assertThat(Access.sameField(Access.WHOLE, f)).isTrue();
            assertThat(Access.sameField(f, Access.WHOLE)).isTrue();
            assertThat(Access.sameField(f, f)).isTrue();
        }
        assertThat(Access.sameField(Access.FLAGS, lru)).isTrue();
        assertThat(Access.sameField(locked, Access.FLAGS)).isTrue();
    }

    @Test
    void aWriteContainsOnlyWhatItCovers() {
        assertThat(Access.contains(Access.WHOLE, Access.COUNT)).isTrue();
        assertThat(Access.contains(Access.FLAGS, lru)).isTrue();
        assertThat(Access.contains(lru, Access.FLAGS)).isFalse();
        assertThat(Access.contains(Access.COUNT, Access.WHOLE)).isFalse();
        assertThat(Access.contains(lru, locked)).isFalse();
    }
}
