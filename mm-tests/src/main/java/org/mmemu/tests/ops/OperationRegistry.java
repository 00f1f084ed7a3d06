package org.mmemu.tests.ops;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mmemu.core.page.ZoneType;
import org.mmemu.tests.scenario.ScenarioException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The operations scenario programs may name, by kernel function. {@link #standard()} is the set
 * the command line uses; a module's operation is added by writing one {@link OperationType}
 * class and listing it there (and dropping its {@link PlannedOperation} entry).
 */
public final class OperationRegistry {
    /** {@code PAGEVEC_SIZE} of 2.5.32 (reference §1.4): the most pages one pagevec holds. */
    public static final int PAGEVEC_SIZE = 16;

    private final Map<String, OperationType> types = new TreeMap<>();

    /** An empty registry. */
    public OperationRegistry() {
    }

    /** The operations of every module wired into mmemu. */
    public static OperationRegistry standard() {
        OperationRegistry r = new OperationRegistry();
        // mm-core
        r.register(new AllocPages());
        r.register(new FreePages());
        r.register(new GetPage());
        r.register(new PageCacheGet());
        r.register(new PutPage());
        r.register(new PageCacheRelease());
        // mm-lru, mm-pagevec, mm-reclaim, mm-slab: argument checks only until wired.
        planned(r);
        return r;
    }

    /** Adds {@code type}; replaces a planned operation of the same name. */
    public OperationRegistry register(OperationType type) {
        types.put(type.name(), type);
        return this;
    }

    /** The operation named {@code name}; an error at {@code at} if there is none. */
    public OperationType lookup(String name, Node at) {
        OperationType t = types.get(name);
        if (t == null) {
            String hint = org.mmemu.tests.scenario.Yaml.didYouMean(name, types.keySet());
            throw ScenarioException.at(at, "unknown operation '" + name + "'" + (hint.isEmpty()
                    ? " (known: " + String.join(", ", types.keySet()) + ")" : hint));
        }
        return t;
    }

    public Collection<OperationType> all() {
        return Collections.unmodifiableCollection(types.values());
    }

    private static void planned(OperationRegistry r) {
        r.register(new PlannedOperation("pagevec_release", "mm/swap.c", "mm-pagevec",
                "__pagevec_release of the listed pages (first to last)",
                a -> a.pages("pages", 1, PAGEVEC_SIZE)));
        r.register(new PlannedOperation("lru_cache_add", "mm/swap.c", "mm-pagevec",
                "add to this CPU's lru_add pagevec (2.5.32 deferred add)",
                a -> a.page("page", 0)));
        r.register(new PlannedOperation("lru_add_drain", "mm/swap.c", "mm-pagevec",
                "drain this CPU's lru_add pagevec onto the LRU", a -> { }));
        r.register(new PlannedOperation("mark_page_accessed", "mm/filemap.c", "mm-lru",
                "referenced, then active on the second access", a -> a.page("page", 0)));
        r.register(new PlannedOperation("activate_page", "mm/swap.c", "mm-lru",
                "move an inactive LRU page to the active list", a -> a.page("page", 0)));
        r.register(new PlannedOperation("shrink_cache", "mm/vmscan.c", "mm-reclaim",
                "isolate up to nr pages from the zone's inactive list and reclaim them",
                a -> {
                    a.zone("zone", 0, ZoneType.NORMAL);
                    a.integer("nr", 1, 32, 1, 1 << 20);
                }));
        r.register(new PlannedOperation("refill_inactive", "mm/vmscan.c", "mm-reclaim",
                "move up to nr pages from the active to the inactive list",
                a -> {
                    a.zone("zone", 0, ZoneType.NORMAL);
                    a.integer("nr", 1, 32, 1, 1 << 20);
                }));
        r.register(new PlannedOperation("try_to_free_pages", "mm/vmscan.c", "mm-reclaim",
                "direct reclaim for an allocation of the given order",
                a -> {
                    a.zone("zone", 0, ZoneType.NORMAL);
                    a.integer("order", 1, 0, 0, 9);
                    a.arg("gfp", 2).ifPresent(n -> GfpNames.parse(
                            org.mmemu.tests.scenario.Yaml.string(n, a.op() + ": gfp"), n, a.op()));
                }));
        r.register(new PlannedOperation("kswapd", "mm/vmscan.c", "mm-reclaim",
                "kswapd's balance loop, the given number of rounds",
                a -> a.integer("rounds", 0, 1, 1, 1 << 20)));
        r.register(new PlannedOperation("add_to_page_cache", "mm/filemap.c", "mm-reclaim",
                "insert the page into a mapping at an index",
                a -> {
                    a.page("page", 0);
                    a.string("mapping", 1, null);
                    a.integer("index", 2, 0, 0, Integer.MAX_VALUE);
                }));
        r.register(new PlannedOperation("remove_from_page_cache", "mm/filemap.c", "mm-reclaim",
                "take the page out of its mapping", a -> a.page("page", 0)));
        r.register(new PlannedOperation("kmem_cache_alloc", "mm/slab.c", "mm-slab",
                "allocate an object from a cache",
                a -> {
                    a.string("cache", 0, null);
                    a.string("as", 1, "");
                }));
        r.register(new PlannedOperation("kmem_cache_free", "mm/slab.c", "mm-slab",
                "free an object back to its cache",
                a -> {
                    a.string("cache", 0, null);
                    a.string("object", 1, null);
                }));
    }

    /** The names, sorted. */
    public List<String> names() {
        return List.copyOf(types.keySet());
    }
}
