package org.mmemu.scenario;

import java.util.Map;
import org.mmemu.core.page.ZoneType;

/**
 * {@code machine:} of a scenario.
 *
 * @param cpus      how many CPUs
 * @param zones     pages per zone
 * @param protocol  the refcount/LRU protocol (DESIGN §5), or null to take the command line's or
 *                  the default
 * @param slabOnLru whether slab pages go on the LRU ({@code slab-on-lru})
 */
public record MachineSpec(int cpus, Map<ZoneType, Integer> zones, String protocol, boolean slabOnLru) {
    public MachineSpec {
        zones = Map.copyOf(zones);
    }
}
