package org.mmemu.scenario.ops;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.page.Gfp;
import org.mmemu.slab.KmemCache;
import org.mmemu.slab.SlabAllocator;
import org.mmemu.slab.SlabObject;

/**
 * {@code kmem_cache_alloc(cachep, flags)} — mm/slab.c, 2.5.31 ({@code KmemCache.kmemCacheAlloc}).
 * The cache {@code C} is made at boot ({@code kmem_cache_create(C, size, 0, 0, NULL, NULL)},
 * order 0) by the first operation naming it, with its per-CPU arrays off
 * ({@code kmem_tune_cpucache(cachep, 0, 0)}) -- a departure, so that every free reaches the slab
 * lists and an emptied slab can be destroyed at once, which is where slab-on-LRU races; {@code as: O} names the object for a later
 * {@code kmem_cache_free}. A failed allocation (null) leaves O unnamed.
 * Form: {@code kmem_cache_alloc: {cache: dentry, size: 128, as: D}}.
 */
public final class KmemCacheAlloc implements OperationType {
    /** The object size when the file gives none: a 2.5 dentry's. */
    static final int DEFAULT_SIZE = 128;

    @Override
    public String name() {
        return "kmem_cache_alloc";
    }

    @Override
    public String source() {
        return "mm/slab.c";
    }

    @Override
    public String summary() {
        return "allocate an object from a cache (made at boot); 'as: O' names it";
    }

    @Override
    public Operation bind(Args args) {
        String cache = args.string("cache", 0, null);
        String as = args.string("as", 1, "");
        int size = args.integer("size", 2, DEFAULT_SIZE, 8, 4096);
        int gfp = args.arg("gfp", 3).map(n -> GfpNames.parse(
                org.mmemu.scenario.yaml.Yaml.string(n, args.op() + ": gfp"), n, args.op())).orElse(Gfp.GFP_KERNEL);
        args.done();
        return new Operation() {
            @Override
            public void atBoot(World world, Cpu cpu) {
                cacheAtBoot(world, cpu, cache, size);
            }

            @Override
            public void run(World world, Cpu cpu) {
                SlabObject o = cache(world, cache).kmemCacheAlloc(cpu, gfp);
                if (o != null && !as.isEmpty()) {
                    world.putObject("object:" + as, o);
                    // The slab page gets a name too, so traces show its count and PG_lru.
                    world.bind(slabPageName(as), o.slab().page());
                }
            }
        };
    }

    /** The name traces give the slab page holding object {@code object}: {@code slab-of-O}. */
    public static String slabPageName(String object) {
        return "slab-of-" + object;
    }

    /** Makes cache {@code name} at boot unless an earlier operation did. */
    static void cacheAtBoot(World world, Cpu cpu, String name, int size) {
        if (world.object("cache:" + name) == null) {
            KmemCache<SlabObject> c = SlabAllocator.of(world.machine()).kmemCacheCreate(cpu, name, size, 0, 0, null, 0);
            c.kmemTuneCpucache(cpu, 0, 0);
            world.putObject("cache:" + name, c);
        }
    }

    @SuppressWarnings("unchecked")
    static KmemCache<SlabObject> cache(World world, String name) {
        Object c = world.object("cache:" + name);
        if (c == null) {
            throw new ScenarioFailure("slab cache " + name + " was not made at boot");
        }
        return (KmemCache<SlabObject>) c;
    }
}
