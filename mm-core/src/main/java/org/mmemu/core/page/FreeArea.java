package org.mmemu.core.page;

/**
 * {@code free_area_t} of mm/page_alloc.c (2.5.31): the free blocks of one order, and the buddy
 * bitmap with one bit per pair of buddies, toggled on every allocation and free of either
 * buddy ({@code __test_and_change_bit(index >> (1 + order), area->map)}); a bit that reads 1
 * after the toggle on a free means the buddy is still in use, 0 that it is free too.
 * Protected by {@code zone->lock}.
 */
public final class FreeArea {
    final FreeList freeList;
    final long[] map;
    int nrFree;

    /**
     * A free area for a zone of {@code zoneSize} pages at order {@code order}: one bit per
     * buddy pair, plus one for a last block whose buddy lies past the end of the zone (the
     * kernel rounds its bitmap up for the same reason).
     */
    FreeArea(int zoneSize, int order, PageLink linkTarget) {
        freeList = new FreeList(linkTarget);
        int bits = (zoneSize >> (order + 1)) + 1;
        map = new long[(bits + 63) / 64];
    }

    /** {@code __test_and_change_bit(bit, map)}: the old value. */
    boolean testAndChange(int bit) {
        long mask = 1L << bit;
        boolean old = (map[bit >>> 6] & mask) != 0;
        map[bit >>> 6] ^= mask;
        return old;
    }

    /** The number of free blocks of this order. */
    public int nrFree() {
        return nrFree;
    }
}
