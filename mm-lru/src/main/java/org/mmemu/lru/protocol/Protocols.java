package org.mmemu.lru.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.mmemu.lru.LruProtocol;

/**
 * The protocols by name, in the order of DESIGN §5: what scenario files, the command line
 * ({@code mmemu protocols}) and the contract tests read. Each protocol mirrors its kernel or
 * mail source (mm/swap.c and mm/vmscan.c of its version); the registry itself is only the
 * table. A fresh instance per lookup (they are stateless, so sharing would do too).
 */
public final class Protocols {
    private static final Map<String, Supplier<LruProtocol>> BY_NAME = table();

    private Protocols() {
    }

    private static Map<String, Supplier<LruProtocol>> table() {
        Map<String, Supplier<LruProtocol>> m = new LinkedHashMap<>();
        m.put("pre-fix", PreFixProtocol::new);
        m.put("mm1", Mm1Protocol::new);
        m.put("always-lock", AlwaysLockProtocol::new);
        m.put("count-one", CountOneProtocol::new);
        m.put("dec-and-lock", DecAndLockProtocol::new);
        m.put("testone", TestoneProtocol::new);
        m.put("unless-zero", UnlessZeroProtocol::new);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The protocol called {@code name}, e.g. {@code mm1}. */
    public static LruProtocol byName(String name) {
        Supplier<LruProtocol> s = BY_NAME.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown protocol '" + name + "'; known: " + String.join(", ", names()));
        }
        return s.get();
    }

    /** Every protocol, in DESIGN §5 order. */
    public static List<LruProtocol> all() {
        List<LruProtocol> l = new ArrayList<>();
        for (Supplier<LruProtocol> s : BY_NAME.values()) {
            l.add(s.get());
        }
        return l;
    }

    /** The names, in DESIGN §5 order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** Name to origin, for {@code mmemu protocols}. */
    public static Map<String, String> origins() {
        Map<String, String> m = new LinkedHashMap<>();
        for (LruProtocol p : all()) {
            m.put(p.name(), p.origin());
        }
        return m;
    }
}
