package org.mmemu.reclaim;

import java.util.function.Function;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Zone;
import org.mmemu.core.page.ZoneType;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;

/** Test machines: one Normal zone, an LRU with a protocol, reclaim installed. */
final class Machines {
    private Machines() {
    }

    static Machine boot(StepGate gate, int cpus, int pages, Function<Machine, LruProtocol> protocol,
                        ReclaimConfig config, int min, int low, int high) {
        Machine m = new Machine(MachineConfig.of(cpus, pages), gate);
        LruProtocol p = protocol.apply(m);
        if (p.biasedCount()) { // 2.6.7's testone and later: page counts biased by -1
            m = new Machine(MachineConfig.of(cpus, pages).withBiasedCount(true), gate);
            p = protocol.apply(m);
        }
        Lru.install(m, p);
        Reclaim.install(m, config);
        normal(m).overrideWatermarks(min, low, high);
        return m;
    }

    static Machine boot(int cpus, int pages, ReclaimConfig config, int min, int low, int high) {
        return boot(StepGate.FREE, cpus, pages, m -> ProtocolRegistry.onClassPath().byName("mm1"), config, min, low, high);
    }

    static Zone normal(Machine m) {
        return m.zone(ZoneType.NORMAL);
    }
}
