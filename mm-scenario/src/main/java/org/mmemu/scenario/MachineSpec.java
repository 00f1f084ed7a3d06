package org.mmemu.scenario;

import java.util.Map;
import org.mmemu.core.page.ZoneType;

/**
 * {@code machine:} of a scenario.
 *
 * @param cpus      how many CPUs
 * @param zones     pages per zone
 * @param protocol  the refcount/LRU protocol (docs/ARCHITECTURE.md §5), or null to take the command line's or
 *                  the default
 * @param slabOnLru whether slab pages go on the LRU ({@code slab-on-lru})
 * @param filler    per zone, the filler pages behind the named ones on its LRU lists
 *                  ({@code filler}): "the list is long" (none: the list holds only the named
 *                  pages, and the kernel's reclaim loops behave as on such a list)
 * @param swapClusterMax {@code SWAP_CLUSTER_MAX} ({@code swap-cluster-max}, 32 by default):
 *                  the reclaim batch
 * @param kernel    the kernel the machine runs as ({@code kernel:}, a name of {@link Kernels}), or null
 *                  for the protocol's own; with {@code protocol}, checked to compose
 * @param smp       whether the kernel is built with {@code CONFIG_SMP} ({@code smp:}, true); false is
 *                  the uniprocessor build of one CPU ({@code MachineConfig.smp()})
 * @param pageLists whether each address space keeps its {@code clean_pages}/{@code dirty_pages}
 *                  lists through {@code page->list} ({@code page-lists:}, false)
 */
public record MachineSpec(int cpus, Map<ZoneType, Integer> zones, String protocol, boolean slabOnLru,
                          Map<ZoneType, Filler> filler, int swapClusterMax, String kernel, boolean smp,
                          boolean pageLists) {
    /** {@code SWAP_CLUSTER_MAX} of every kernel of the period. */
    public static final int SWAP_CLUSTER_MAX = 32;

    /** Filler pages on one zone's inactive and active lists. */
    public record Filler(int inactive, int active) {
    }

    public MachineSpec {
        zones = Map.copyOf(zones);
        filler = Map.copyOf(filler);
    }

    /** A machine whose address spaces keep no page lists. */
    public MachineSpec(int cpus, Map<ZoneType, Integer> zones, String protocol, boolean slabOnLru,
                       Map<ZoneType, Filler> filler, int swapClusterMax, String kernel, boolean smp) {
        this(cpus, zones, protocol, slabOnLru, filler, swapClusterMax, kernel, smp, false);
    }

    /** An SMP machine. */
    public MachineSpec(int cpus, Map<ZoneType, Integer> zones, String protocol, boolean slabOnLru,
                       Map<ZoneType, Filler> filler, int swapClusterMax, String kernel) {
        this(cpus, zones, protocol, slabOnLru, filler, swapClusterMax, kernel, true);
    }

    /** A machine that names no kernel. */
    public MachineSpec(int cpus, Map<ZoneType, Integer> zones, String protocol, boolean slabOnLru,
                       Map<ZoneType, Filler> filler, int swapClusterMax) {
        this(cpus, zones, protocol, slabOnLru, filler, swapClusterMax, null);
    }

    /** A machine without filler pages and with the kernel's cluster size. */
    public MachineSpec(int cpus, Map<ZoneType, Integer> zones, String protocol, boolean slabOnLru) {
        this(cpus, zones, protocol, slabOnLru, Map.of(), SWAP_CLUSTER_MAX);
    }

    /** The same machine under another protocol. */
    public MachineSpec withProtocol(String p) {
        return new MachineSpec(cpus, zones, p, slabOnLru, filler, swapClusterMax, kernel, smp, pageLists);
    }
}
