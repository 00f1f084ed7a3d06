package org.mmemu.tests.run;

import org.mmemu.core.Machine;
import org.mmemu.core.page.Page;
import org.mmemu.tests.ops.NotWired;
import org.mmemu.tests.ops.World;
import org.mmemu.tests.scenario.LruList;

/**
 * What booting a scenario needs from the modules above mm-core: the protocol and the reclaim
 * hooks installed on a fresh machine (mm-lru, mm-reclaim), a page put on an LRU list without
 * steps (mm-lru), and the object standing for an address space (mm-reclaim). {@link #coreOnly()}
 * is what the command line has until those modules are wired in; each method then becomes a
 * call or two into its module.
 */
public interface KernelWiring {
    /** Installs {@code protocol} and the other modules' per-machine state on a fresh machine. */
    void install(Machine machine, String protocol);

    /** Links {@code page} onto {@code list} of its zone, quietly (setup, before any CPU runs). */
    void placeOnLru(Machine machine, Page page, LruList list);

    /** The address space named {@code name} in {@code world}. */
    Object mapping(World world, String name);

    /** Only mm-core: no LRU yet, mappings are plain named tokens. */
    static KernelWiring coreOnly() {
        return new KernelWiring() {
            @Override
            public void install(Machine machine, String protocol) {
                // mm-core alone has no protocol state to install
            }

            @Override
            public void placeOnLru(Machine machine, Page page, LruList list) {
                throw new NotWired("pages on an LRU list (lru: " + list.label() + ") need mm-lru, which is not"
                        + " wired into mmemu yet");
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
