/**
 * A dentry-like cache after fs/dcache.c (2.5.31-2.5.42): slab objects with a reference count
 * ({@code atomic_dec_and_lock} on the last put), an LRU of unused ones, and pruning that frees
 * them back to their slab, reached by 2.5.31's {@code shrink_dcache_memory(priority)}, by the
 * 2.5.42 shrinker ({@code set_shrinker()}, mm/vmscan.c), and by the slab-on-LRU pruner.
 */
package org.mmemu.slab.dcache;
