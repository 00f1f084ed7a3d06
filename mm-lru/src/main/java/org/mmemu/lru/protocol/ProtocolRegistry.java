package org.mmemu.lru.protocol;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.mmemu.lru.LruProtocol;

/**
 * The protocols a class loader provides, by name: every {@link LruProtocol} listed in a
 * {@code META-INF/services/org.mmemu.lru.LruProtocol} file it can see, found with
 * {@link ServiceLoader}, in the order the loader finds them (mm-lru's own seven first, in the
 * order of docs/ARCHITECTURE.md §5, when mm-lru comes first on the class path). What scenario files, the
 * command line and the tests read. Immutable; protocols are stateless, so one instance of each
 * is shared.
 *
 * <p>Emulator, not a mirror: each protocol found stands for its kernel's mm/swap.c:
 * release_pages() and mm/vmscan.c: shrink_cache() (2.5.31-mm1 for mm1; see {@link LruProtocol#version()}).
 */
public final class ProtocolRegistry {
    private final ImmutableMap<String, LruProtocol> byName;

    private ProtocolRegistry(ImmutableMap<String, LruProtocol> byName) {
        this.byName = byName;
    }

    /**
     * The protocols {@code loader} provides.
     *
     * @throws IllegalStateException when two providers declare the same name
     * @throws java.util.ServiceConfigurationError when a listed provider cannot be loaded
     */
    public static ProtocolRegistry load(ClassLoader loader) {
        Map<String, LruProtocol> m = new LinkedHashMap<>();
        for (LruProtocol p : ServiceLoader.load(LruProtocol.class, loader)) {
            LruProtocol other = m.putIfAbsent(p.name(), p);
            if (other != null && other.getClass() != p.getClass()) {
                throw new IllegalStateException("two protocols are called '" + p.name() + "': "
                        + other.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return new ProtocolRegistry(ImmutableMap.copyOf(m));
    }

    /** The protocols on the class path that loaded mm-lru: the shipped seven and any others there. */
    public static ProtocolRegistry onClassPath() {
        return OnClassPath.REGISTRY;
    }

    /** The protocol called {@code name}, e.g. {@code mm1}, if there is one. */
    public Optional<LruProtocol> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The protocol called {@code name}.
     *
     * @throws IllegalArgumentException when there is none, naming the known ones
     */
    public LruProtocol byName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown protocol '" + name + "'; known: " + String.join(", ", names())));
    }

    /** Every protocol, in the order found. */
    public List<LruProtocol> all() {
        return byName.values().asList();
    }

    /** The names, in the order found. */
    public List<String> names() {
        return ImmutableList.copyOf(byName.keySet());
    }

    /** Built on first use, once (class initialisation is the lock). */
    private static final class OnClassPath {
        static final ProtocolRegistry REGISTRY = load(ProtocolRegistry.class.getClassLoader());
    }
}
