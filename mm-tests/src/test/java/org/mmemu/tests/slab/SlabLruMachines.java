package org.mmemu.tests.slab;

import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Zone;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.reclaim.Reclaim;
import org.mmemu.reclaim.ReclaimConfig;
import org.mmemu.slab.LruSlabPages;
import org.mmemu.slab.SlabAllocator;
import org.mmemu.slab.SlabOptions;

/**
 * Machines with every layer installed: mm-lru with a protocol, mm-reclaim (its
 * {@code kmem_cache_reap()} hook pointed at mm-slab's reaper) and mm-slab attached to the LRU,
 * slab-on-LRU on or off.
 */
final class SlabLruMachines {
    private SlabLruMachines() {
    }

    /**
     * A gate that lets a program set up its initial state with real kernel calls (a slab is only
     * made by kmem_cache_grow()) that never reach the engine, before handing the CPUs to it.
     */
    static final class SetupGate implements StepGate {
        private volatile StepGate target = StepGate.FREE;

        /** From now on every step goes to {@code engine}. */
        void handOver(StepGate engine) {
            target = engine;
        }

        @Override
        public void step(Cpu cpu, Site site, Object target, int field, Access access) {
            this.target.step(cpu, site, target, field, access);
        }
    }

    /** {@code cpus} CPUs, one Normal zone of {@code pages} pages with the given watermarks. */
    static Machine boot(StepGate gate, String protocol, boolean slabOnLru, int cpus, int pages,
                        ReclaimConfig config, int min, int low, int high) {
        LruProtocol p = ProtocolRegistry.onClassPath().byName(protocol);
        Machine m = new Machine(MachineConfig.of(cpus, pages).withBiasedCount(p.biasedCount()), gate);
        Lru.install(m, p);
        Reclaim r = Reclaim.install(m, config);
        LruSlabPages.attach(m, slabOnLru ? SlabOptions.SLAB_ON_LRU : SlabOptions.MAINLINE);
        SlabAllocator sa = SlabAllocator.of(m);
        r.setSlabReclaim(sa::kmemCacheReap);
        normal(m).overrideWatermarks(min, low, high);
        return m;
    }

    static Zone normal(Machine m) {
        return m.zone(ZoneType.NORMAL);
    }
}
