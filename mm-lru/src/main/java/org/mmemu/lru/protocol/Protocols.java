package org.mmemu.lru.protocol;

import java.util.List;
import org.mmemu.lru.LruProtocol;

/**
 * The protocols on the class path by name ({@link ProtocolRegistry#onClassPath()}), for code
 * that does not load protocols from elsewhere: the tests, the benchmarks. The command line reads
 * a {@link ProtocolRegistry} of its own, over the jars the user adds.
 *
 * <p>Emulator, not a mirror: each protocol stands for its kernel's mm/swap.c: release_pages()
 * and mm/vmscan.c: shrink_cache() (2.5.31-mm1 for mm1).
 */
public final class Protocols {
    private Protocols() {
    }

    /** The protocol called {@code name}, e.g. {@code mm1}. */
    public static LruProtocol byName(String name) {
        return ProtocolRegistry.onClassPath().byName(name);
    }

    /** Every protocol, in docs/ARCHITECTURE.md §5 order (then any others on the class path). */
    public static List<LruProtocol> all() {
        return ProtocolRegistry.onClassPath().all();
    }

    /** The names, in docs/ARCHITECTURE.md §5 order (then any others on the class path). */
    public static List<String> names() {
        return ProtocolRegistry.onClassPath().names();
    }
}
