/**
 * mm-slab: the slab allocator of mm/slab.c as 2.5.31 had it, and the ways memory pressure
 * reached it then and shortly after.
 *
 * <p><b>What it is for.</b> The seed mail (akpm, 26 Aug 2002, &lt;3D6A8082.3775C5AB@zip.com.au&gt;)
 * weighs taking the LRU lock on every page release and remarks: "if we put slab pages on the LRU
 * then I suspect there are so few non-LRU pages left that it isn't worth bothering". To measure
 * that, slab pages have to exist as pages: {@link org.mmemu.slab.KmemCache} carves objects out of
 * blocks from mm-core's buddy allocator, marks them PG_slab, and gives them back when they empty.
 *
 * <p><b>Layers.</b>
 * <ul>
 * <li>{@link org.mmemu.slab.KmemCache} and the package-private classes beside it: one cache, its
 *     slab lists, per-CPU arrays, grow and shrink ({@code kmem_cache_alloc/free/grow/shrink},
 *     {@code kmem_getpages/freepages}).
 * <li>{@link org.mmemu.slab.SlabAllocator}: the machine's {@code cache_chain},
 *     {@code kmem_cache_create/destroy}, and {@code kmem_cache_reap()}, which 2.5.31's
 *     {@code shrink_caches()} called first under pressure (docs/FIDELITY.md).
 * <li>{@link org.mmemu.slab.shrink.ShrinkerList}: the shrinker API of ~2.5.42 (SHR), which
 *     replaced prune-by-priority for caches of reclaimable objects.
 * <li>{@link org.mmemu.slab.dcache.DentryCache}: such a cache, after fs/dcache.c: an LRU of
 *     unused objects that pruning frees back to the slab.
 * </ul>
 *
 * <p><b>Slab pages on the LRU</b> (Ed Tomlinson's slablru, never mainline) is a machine option,
 * {@link org.mmemu.slab.SlabOptions}, switched on with
 * {@link org.mmemu.slab.LruSlabPages#attach}: {@link org.mmemu.slab.SlabPageLru} is where a new
 * slab's first page joins the LRU and how a freed slab's pages are released (through the
 * machine's release protocol, like any page), {@link org.mmemu.slab.LruSlabPages} its mm-lru
 * implementation; {@link org.mmemu.slab.SlabAllocator#reclaimSlabPage} is what reclaim's
 * shrink_list() calls for a PG_slab page it isolated (free the slab if it is empty, else ask the
 * cache's {@link org.mmemu.slab.SlabPruner}), and its verdict says which label reclaim goes to.
 *
 * <p><b>Steps.</b> Every load, store, list operation and lock operation on shared slab state is
 * a step with a site named after the mm/slab.c statement, as everywhere in mmemu; the per-CPU
 * arrays are the one place that needs an emulator device (see {@link org.mmemu.slab.CpuCache}).
 */
package org.mmemu.slab;
