package org.mmemu.tests.run;

import org.mmemu.core.Machine;
import org.mmemu.core.page.Page;
import org.mmemu.tests.ops.NotWired;
import org.mmemu.tests.ops.World;
import org.mmemu.tests.scenario.LruList;
import org.mmemu.tests.scenario.MachineSpec;
import org.mmemu.tests.scenario.PageSpec;

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

    /**
     * Finishes a page's setup after mm-core's part (count, flags, mapping, private are set):
     * links it onto {@code spec.lru()} of its zone quietly, and passes on what only other modules
     * keep ({@code spec.mapped()}). Called before any CPU runs.
     */
    void setUpPage(Machine machine, World world, Page page, PageSpec spec);

    /** The address space named {@code name} in {@code world}. */
    Object mapping(World world, String name);

    /** The wiring of every module the command line has: today mm-core alone. */
    static KernelWiring standard() {
        KernelWiring core = coreOnly();
        return new KernelWiring() {
            @Override
            public void install(Machine machine, String protocol, MachineSpec spec) {
                org.mmemu.lru.Lru.install(machine, org.mmemu.lru.protocol.Protocols.byName(protocol));
            }

            @Override
            public void setUpPage(Machine machine, World world, Page page, PageSpec spec) {
                if (spec.lru() != LruList.NONE) {
                    org.mmemu.lru.Lru.of(machine).zoneOf(page).addQuietly(page, spec.lru() == LruList.ACTIVE);
                }
            }

            @Override
            public Object mapping(World world, String name) {
                return core.mapping(world, name);
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
        };
    }

    /** A stand-in {@code struct address_space}: only its identity and name matter to mm-core. */
    record NamedMapping(String name) {
    }
}
