package org.mmemu.scenario.ops;

import org.mmemu.core.emu.Cpu;
import org.mmemu.slab.SlabObject;

/**
 * {@code kmem_cache_free(cachep, objp)} — mm/slab.c, 2.5.31 ({@code KmemCache.kmemCacheFree}):
 * frees the object an earlier {@code kmem_cache_alloc: {as: O}} named. Freeing a name that has no
 * object (its allocation has not run, or failed) ends the run with an error; freeing it twice is
 * the slab's to catch. Form: {@code kmem_cache_free: {cache: dentry, object: D}}.
 */
public final class KmemCacheFree implements OperationType {
    @Override
    public String name() {
        return "kmem_cache_free";
    }

    @Override
    public String source() {
        return "mm/slab.c";
    }

    @Override
    public String summary() {
        return "free an object back to its cache";
    }

    @Override
    public Operation bind(Args args) {
        String cache = args.string("cache", 0, null);
        String object = args.string("object", 1, null);
        int size = args.integer("size", 2, KmemCacheAlloc.DEFAULT_SIZE, 8, 4096);
        String where = args.where();
        args.done();
        return new Operation() {
            @Override
            public void atBoot(World world, Cpu cpu) {
                KmemCacheAlloc.cacheAtBoot(world, cpu, cache, size);
            }

            @Override
            public void run(World world, Cpu cpu) {
                Object o = world.object("object:" + object);
                if (!(o instanceof SlabObject so)) {
                    throw new ScenarioFailure(where + ": kmem_cache_free: object " + object + " has no object in this run");
                }
                KmemCacheAlloc.cache(world, cache).kmemCacheFree(cpu, so);
            }
        };
    }
}
