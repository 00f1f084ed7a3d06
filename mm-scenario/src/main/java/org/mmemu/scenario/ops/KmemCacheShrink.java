package org.mmemu.scenario.ops;

import org.mmemu.core.emu.Cpu;

/**
 * {@code kmem_cache_shrink(cachep)} — mm/slab.c, 2.5.31 ({@code KmemCache.kmemCacheShrink}):
 * destroys the cache's free slabs; with slab-on-LRU, {@code kmem_freepages()} releases each slab
 * page through the machine's protocol, as a page cache page's last release would.
 * Form: {@code kmem_cache_shrink: dentry}.
 */
public final class KmemCacheShrink implements OperationType {
    @Override
    public String name() {
        return "kmem_cache_shrink";
    }

    @Override
    public String source() {
        return "mm/slab.c";
    }

    @Override
    public String summary() {
        return "destroy a cache's free slabs, releasing their pages";
    }

    @Override
    public Operation bind(Args args) {
        String cache = args.string("cache", 0, null);
        int size = args.integer("size", 1, KmemCacheAlloc.DEFAULT_SIZE, 8, 4096);
        args.done();
        return new Operation() {
            @Override
            public void atBoot(World world, Cpu cpu) {
                KmemCacheAlloc.cacheAtBoot(world, cpu, cache, size);
            }

            @Override
            public void run(World world, Cpu cpu) {
                KmemCacheAlloc.cache(world, cache).kmemCacheShrink(cpu);
            }
        };
    }
}
