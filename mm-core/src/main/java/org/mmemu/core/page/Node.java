package org.mmemu.core.page;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pg_data_t}: one memory node with its zones, laid out from pfn 0 in the order
 * DMA, Normal, HighMem (absent zones take no frames).
 */
public final class Node {
    private final int id;
    private final List<Zone> zones;
    private final Zone[] byIndex = new Zone[ZoneType.values().length];
    private final int nrPages;

    /** A node with the given zone sizes in pages; zones of size 0 are absent. */
    public Node(int id, Map<ZoneType, Integer> sizes, boolean biasedCount) {
        this.id = id;
        List<Zone> zs = new ArrayList<>();
        int pfn = 0;
        for (ZoneType t : ZoneType.values()) {
            int size = sizes.getOrDefault(t, 0);
            if (size < 0) {
                throw new IllegalArgumentException("zone " + t.label() + " has a negative size");
            }
            if (size > 0) {
                Zone z = new Zone(this, t, pfn, size, biasedCount);
                zs.add(z);
                byIndex[t.ordinal()] = z;
                pfn += size;
            }
        }
        if (zs.isEmpty()) {
            throw new IllegalArgumentException("a node needs at least one zone with pages");
        }
        this.zones = Collections.unmodifiableList(zs);
        this.nrPages = pfn;
    }

    /** A node with the given sizes, from an enum map. */
    public static Node of(EnumMap<ZoneType, Integer> sizes) {
        return new Node(0, sizes, false);
    }

    public int id() {
        return id;
    }

    /** The present zones, lowest first. */
    public List<Zone> zones() {
        return zones;
    }

    /** The zone of type {@code t}, or null if absent. */
    public Zone zone(ZoneType t) {
        return byIndex[t.ordinal()];
    }

    /** The number of page frames. */
    public int nrPages() {
        return nrPages;
    }

    /** {@code pfn_to_page()}. */
    public Page page(long pfn) {
        for (Zone z : zones) {
            if (z.contains(pfn)) {
                return z.page(pfn);
            }
        }
        throw new IllegalArgumentException("pfn " + pfn + " is outside the node");
    }

    /** {@code /proc/buddyinfo}. */
    public String buddyinfo() {
        StringBuilder b = new StringBuilder();
        for (Zone z : zones) {
            b.append(z.buddyinfo()).append('\n');
        }
        return b.toString();
    }
}
