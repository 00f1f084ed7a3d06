package org.mmemu.scenario.ops;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mmemu.scenario.yaml.ScenarioException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The operations scenario programs may name, by kernel function. {@link #standard()} is the set
 * the command line uses; a module's operation is added by writing one {@link OperationType}
 * class and listing it there .
 */
public final class OperationRegistry {
    /** {@code PAGEVEC_SIZE} of 2.5.32 (docs/FIDELITY.md): the most pages one pagevec holds. */
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
        r.register(new ClearPageFlag());
        r.register(new SetPageReferenced());
        r.register(new LockPage());
        r.register(new UnlockPage());
        r.register(new ModPageState());
        // mm-lru, mm-pagevec
        r.register(new PageCacheRelease());
        r.register(new PagevecRelease());
        r.register(new LruCacheAdd());
        r.register(new LruAddDrain());
        r.register(new MarkPageAccessed());
        r.register(new ActivatePage());
        // mm-reclaim
        r.register(new ShrinkCache());
        r.register(new RefillInactive());
        r.register(new TryToFreePages());
        r.register(new KswapdOp());
        r.register(new AddToPageCache());
        r.register(new RemoveFromPageCache());
        r.register(new HotAndStreamingReads());
        r.register(new AnonymousMemory());
        r.register(new WritePages());
        r.register(new TruncateInodePages());
        r.register(new SetPageDirty());
        // mm-slab
        r.register(new KmemCacheAlloc());
        r.register(new KmemCacheFree());
        r.register(new KmemCacheShrink());
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
            String hint = org.mmemu.scenario.yaml.Yaml.didYouMean(name, types.keySet());
            throw ScenarioException.at(at, "unknown operation '" + name + "'" + (hint.isEmpty()
                    ? " (known: " + String.join(", ", types.keySet()) + ")" : hint));
        }
        return t;
    }

    public Collection<OperationType> all() {
        return Collections.unmodifiableCollection(types.values());
    }

    /** The names, sorted. */
    public List<String> names() {
        return List.copyOf(types.keySet());
    }
}
