package org.mmemu.slab;

/**
 * The flags of {@code kmem_cache_create()} and the cache's dynamic flags, from
 * include/linux/slab.h and mm/slab.c (2.4.18-2.5.31, the same values in both).
 *
 * <p>Only the flags the emulation acts on are here: the debugging flags (red zones, poisoning)
 * have no emulated memory to act on; the detectors' shadow state does their job.
 */
public final class SlabFlags {
    /** {@code SLAB_NO_REAP}: {@code kmem_cache_reap()} skips the cache. */
    public static final int SLAB_NO_REAP = 0x00001000;
    /** {@code SLAB_HWCACHE_ALIGN}: align objects on {@link #L1_CACHE_BYTES}. */
    public static final int SLAB_HWCACHE_ALIGN = 0x00002000;
    /** {@code SLAB_CACHE_DMA}: slabs come from ZONE_DMA ({@code cachep->gfpflags |= GFP_DMA}). */
    public static final int SLAB_CACHE_DMA = 0x00004000;
    /** The flags {@code kmem_cache_create()} accepts here ({@code CREATE_MASK}, restricted). */
    public static final int CREATE_MASK = SLAB_NO_REAP | SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA;

    /** {@code CFLGS_OFF_SLAB}: the slab descriptor lives outside the slab (objects of PAGE_SIZE/8 and up). */
    public static final int CFLGS_OFF_SLAB = 0x00010000;
    /** {@code DFLGS_GROWN}: the cache grew since the last reap; the reaper skips it once. */
    public static final int DFLGS_GROWN = 0x00000001;

    /** {@code PAGE_SIZE} on i386. */
    public static final int PAGE_SIZE = 4096;
    /** {@code L1_CACHE_BYTES}: 32, the i386 default of 2.5 (CONFIG_X86_L1_CACHE_SHIFT=5). */
    public static final int L1_CACHE_BYTES = 32;
    /** {@code BYTES_PER_WORD}: {@code sizeof(void *)} on i386. */
    public static final int BYTES_PER_WORD = 4;
    /** {@code sizeof(slab_t)} on i386: list_head (8), colouroff, s_mem, inuse, free (4 each). */
    public static final int SIZEOF_SLAB_T = 24;
    /** {@code sizeof(kmem_bufctl_t)}: an unsigned int. */
    public static final int SIZEOF_BUFCTL = 4;
    /** {@code BUFCTL_END}: the end of a slab's free-object chain ({@code 0xffffFFFF} as an unsigned int). */
    public static final int BUFCTL_END = -1;
    /** {@code SLAB_LIMIT}: the most objects in one slab ({@code 0xffffFFFE} in the kernel; capped to a Java int). */
    public static final int SLAB_LIMIT = Integer.MAX_VALUE - 1;
    /** {@code MAX_GFP_ORDER}: the largest slab, 32 pages. */
    public static final int MAX_GFP_ORDER = 5;

    private SlabFlags() {
    }
}
