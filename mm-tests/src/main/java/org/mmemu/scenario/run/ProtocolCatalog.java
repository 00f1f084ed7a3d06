package org.mmemu.scenario.run;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The protocols of DESIGN §5 as the command line lists and validates them: read from mm-lru's
 * registry ({@code org.mmemu.lru.protocol.Protocols}: the names, in order, each one's origin and
 * whether it biases the count); this class adds only what the command line says about each, the
 * verdict DESIGN §5 expects, and the default.
 */
public final class ProtocolCatalog {
    /** The protocol of the seed mail's kernel, used when neither the file nor the command line names one. */
    public static final String DEFAULT = "mm1";

    /** DESIGN §5's expected verdict on the seed race, by protocol. */
    private static final Map<String, String> EXPECTED = Map.of(
            "pre-fix", "double free without any interrupt",
            "mm1", "double free only when all five footnote conditions hold",
            "always-lock", "correct; a lock on every release",
            "count-one", "no double free; zero-ref pages left on the LRU, mopped up by reclaim",
            "dec-and-lock", "correct; lock only on the last put",
            "testone", "correct",
            "unless-zero", "correct");

    private static final List<ProtocolInfo> ALL = org.mmemu.lru.protocol.Protocols.all().stream()
            .map(p -> new ProtocolInfo(p.name(), p.origin(), EXPECTED.getOrDefault(p.name(), "see its origin"),
                    p.biasedCount()))
            .toList();

    private ProtocolCatalog() {
    }

    public static List<ProtocolInfo> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(ProtocolInfo::name).toList();
    }

    public static Optional<ProtocolInfo> byName(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
