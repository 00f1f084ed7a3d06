package org.mmemu.lru;

import org.mmemu.core.Machine;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;

/**
 * A machine's LRU state: one {@link ZoneLru} per zone (per-zone LRU, 2.5.31-mm1 and 2.5.33)
 * and the protocol the machine runs. Kept as a {@link Machine#extension} so that mm-core does
 * not know about it.
 */
public final class Lru {
    private final ZoneLru[] zones;
    private final LruProtocol protocol;

    private Lru(Machine machine, LruProtocol protocol) {
        this.protocol = protocol;
        this.zones = new ZoneLru[3];
        for (Zone z : machine.node().zones()) {
            zones[z.index()] = new ZoneLru(z);
        }
    }

    /**
     * Attaches the LRU with {@code protocol} to {@code machine}; must be called once, at boot,
     * before any CPU runs. The protocol's count bias must match the machine's.
     */
    public static Lru install(Machine machine, LruProtocol protocol) {
        if (protocol.biasedCount() != machine.config().biasedCount()) {
            throw new IllegalArgumentException("protocol " + protocol.name() + " needs a machine with "
                    + (protocol.biasedCount() ? "" : "un") + "biased page counts");
        }
        Lru lru = machine.extension(Lru.class, m -> new Lru(m, protocol));
        if (lru.protocol != protocol) {
            throw new IllegalStateException("the machine already has an LRU with protocol " + lru.protocol.name());
        }
        return lru;
    }

    /** The machine's LRU; {@link #install} must have been called. */
    public static Lru of(Machine machine) {
        Lru lru = machine.extensionOrNull(Lru.class);
        if (lru == null) {
            throw new IllegalStateException("no LRU installed on this machine (Lru.install)");
        }
        return lru;
    }

    /** The protocol the machine runs. */
    public LruProtocol protocol() {
        return protocol;
    }

    /** The LRU of {@code zone}. */
    public ZoneLru zone(Zone zone) {
        return zones[zone.index()];
    }

    /** The LRU of the zone {@code page} lies in ({@code page_zone(page)}). */
    public ZoneLru zoneOf(Page page) {
        return zones[page.zone().index()];
    }
}
