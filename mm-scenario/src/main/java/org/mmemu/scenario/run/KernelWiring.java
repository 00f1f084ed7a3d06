package org.mmemu.scenario.run;

import org.mmemu.core.Machine;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.reclaim.LongList;
import org.mmemu.reclaim.Reclaim;
import org.mmemu.reclaim.ReclaimConfig;
import org.mmemu.slab.LruSlabPages;
import org.mmemu.slab.SlabAllocator;
import org.mmemu.slab.SlabOptions;
import org.mmemu.scenario.ops.Mappings;
import org.mmemu.scenario.ops.NotWired;
import org.mmemu.scenario.ops.World;
import org.mmemu.scenario.LruList;
import org.mmemu.scenario.MachineSpec;
import org.mmemu.scenario.PageSpec;

/**
 * What booting a scenario needs from the modules above mm-core: the protocol, the reclaim hooks
 * and the slab-on-LRU switch installed on a fresh machine (mm-lru, mm-reclaim, mm-slab); a page
 * put on its LRU list, and told it is mapped, without steps (mm-lru, mm-reclaim); the object
 * standing for an address space (mm-reclaim). {@link #coreOnly()} is what the command line has
 * until those modules are wired in; each method then becomes a call or two into its module.
 */
public interface KernelWiring {
    /** Installs {@code protocol} and the other modules' per-machine state on a fresh machine. */
    void install(Machine machine, String protocol, MachineSpec spec);

    /** Whether {@code protocol} needs the machine's page counts biased by -1 (as it declares). */
    boolean biasedCount(String protocol);

    /**
     * Finishes a page's setup after mm-core's part (count, flags, mapping, private are set):
     * links it onto {@code spec.lru()} of its zone quietly, and passes on what only other modules
     * keep ({@code spec.mapped()}). Called before any CPU runs.
     */
    void setUpPage(Machine machine, World world, Page page, PageSpec spec);

    /** The address space named {@code name} in {@code world}. */
    Object mapping(World world, String name);

    /**
     * After the named pages are set up: puts {@code spec.filler()} pages behind them on each
     * zone's lists (mm-reclaim's {@code LongList.fill}). Called before any CPU runs.
     */
    void afterPages(Machine machine, MachineSpec spec);

    /**
     * Every module: mm-lru with the protocol ({@code Lru.install}), mm-reclaim with its defaults
     * (which mops up zero-ref pages under count-one), mm-slab attached to the LRU with
     * {@code slab-on-lru} as the file says and its reaper as reclaim's {@code kmem_cache_reap};
     * pages linked onto their list quietly, mapped pages given an rmap entry (no pte: the count
     * in the file already holds the mapping's reference), mappings as mm-reclaim address spaces.
     * The protocols are those on the class path.
     */
    static KernelWiring standard() {
        return standard(ProtocolRegistry.onClassPath());
    }

    /** {@link #standard()}, with the protocols of {@code protocols}. */
    static KernelWiring standard(ProtocolRegistry protocols) {
        return new KernelWiring() {
            @Override
            public void install(Machine machine, String protocol, MachineSpec spec) {
                Lru.install(machine, KernelProtocols.resolve(protocols, protocol));
                Reclaim r = Reclaim.install(machine, ReclaimConfig.defaults().withSwapClusterMax(spec.swapClusterMax()));
                r.setPageLists(spec.pageLists());
                LruSlabPages.attach(machine, spec.slabOnLru() ? SlabOptions.SLAB_ON_LRU : SlabOptions.MAINLINE);
                r.setSlabReclaim(SlabAllocator.of(machine)::kmemCacheReap);
            }

            @Override
            public boolean biasedCount(String protocol) {
                return KernelProtocols.find(protocols, protocol).map(p -> p.biasedCount()).orElse(false);
            }

            @Override
            public void setUpPage(Machine machine, World world, Page page, PageSpec spec) {
                if (spec.lru() != LruList.NONE) {
                    Lru.of(machine).zoneOf(page).addQuietly(page, spec.lru() == LruList.ACTIVE);
                }
                if (spec.mapped()) {
                    Reclaim.of(machine).rmap().pageAddRmap(machine.cpu(0), page, null, 0);
                }
                if (spec.mapping() != null) {
                    Mappings.of(world, spec.mapping()).addQuietly(page);
                }
            }

            @Override
            public Object mapping(World world, String name) {
                return Mappings.of(world, name);
            }

            @Override
            public void afterPages(Machine machine, MachineSpec spec) {
                spec.filler().forEach((type, f) -> LongList.fill(machine, machine.zone(type), f.inactive(), f.active()));
            }
        };
    }

    /** Only mm-core: no LRU yet, mappings are plain named tokens. */
    static KernelWiring coreOnly() {
        return new KernelWiring() {
            @Override
            public void install(Machine machine, String protocol, MachineSpec spec) {
                // mm-core alone has no protocol state to install
            }

            @Override
            public boolean biasedCount(String protocol) {
                return false;
            }

            @Override
            public void setUpPage(Machine machine, World world, Page page, PageSpec spec) {
                if (spec.lru() != LruList.NONE) {
                    throw new NotWired(spec.where() + ": pages on an LRU list (lru: " + spec.lru().label()
                            + ") need mm-lru, which is not wired into mmemu yet");
                }
            }

            @Override
            public Object mapping(World world, String name) {
                return world.mapping(name, NamedMapping::new);
            }

            @Override
            public void afterPages(Machine machine, MachineSpec spec) {
                if (!spec.filler().isEmpty()) {
                    throw new NotWired("machine: filler needs mm-lru and mm-reclaim, which are not wired into mmemu yet");
                }
            }
        };
    }

    /** A stand-in {@code struct address_space}: only its identity and name matter to mm-core. */
    record NamedMapping(String name) {
    }
}
