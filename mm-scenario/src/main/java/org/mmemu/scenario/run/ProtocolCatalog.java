package org.mmemu.scenario.run;

import java.util.List;
import java.util.Optional;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;

/**
 * The protocols as the command line lists and validates them: a {@link ProtocolRegistry} (the
 * shipped ones, and those of the jars the user adds) and the default. Everything else the
 * command line shows about a protocol (origin, version, expected verdict, biased count) is what
 * the protocol itself declares.
 */
public final class ProtocolCatalog {
    /** The protocol of the seed mail's kernel, used when neither the file nor the command line names one. */
    public static final String DEFAULT = "mm1";

    private final ProtocolRegistry registry;

    public ProtocolCatalog(ProtocolRegistry registry) {
        this.registry = registry;
    }

    /** The protocols on mmemu's own class path. */
    public static ProtocolCatalog onClassPath() {
        return new ProtocolCatalog(ProtocolRegistry.onClassPath());
    }

    public ProtocolRegistry registry() {
        return registry;
    }

    public List<LruProtocol> all() {
        return registry.all();
    }

    public List<String> names() {
        return registry.names();
    }

    public Optional<LruProtocol> byName(String name) {
        return registry.find(name);
    }
}
