package org.mmemu.core.page;

/**
 * The free-time checks of mm/page_alloc.c: __free_pages_ok() by version (stored text), as
 * {@code KernelProfile.freeChecks()} names them for a kernel; {@link PageAlloc} makes them.
 * Emulator, not a mirror: the choice, not the checks.
 */
public enum FreeChecks {
    /** 2.5.31 (84-98): BUG_ONs Private, mapping, Locked, LRU, Active, Writeback, pte.chain; dirty cleared; BUG_ON count. */
    V2_5_31,
    /**
     * 2.5.32 (84-99): as 2.5.31 with a second {@code BUG_ON(PageLRU)} first (PageLRU checked
     * twice). BK of 18 Aug is taken to have it too (not stored: inferred).
     */
    V2_5_32,
    /**
     * 2.5.33 (82-96): the {@code BUG_ON(PageLRU)} first, the second removed. -mm1 is taken
     * to have 2.5.33's (not determinable from the stored text: inferred); 2.5.39 too.
     */
    V2_5_33,
    /**
     * 2.6.0 (171-174, 64-74): {@code free_pages_check()}: one condition (mapped, mapping,
     * count, lru|private|locked|active|reclaim|slab|writeback); {@code bad_page()} prints,
     * fixes the page up and the free carries on; dirty cleared after.
     */
    V2_6_0,
    /** 2.6.6, 2.6.7 (171-174): as 2.6.0 and every page of the block is checked. */
    V2_6_6
}
