package org.mmemu.lru;

import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;
import org.mmemu.core.page.ZoneType;

/** Small machines for the LRU tests: one Normal zone, the LRU installed with a protocol. */
public final class TestMachines {
    private TestMachines() {
    }

    /** A machine of {@code cpus} CPUs and 256 pages, its count biased as {@code protocol} needs. */
    public static Machine boot(LruProtocol protocol, int cpus, StepGate gate) {
        Machine m = new Machine(MachineConfig.of(cpus, 256).withBiasedCount(protocol.biasedCount()), gate);
        Lru.install(m, protocol);
        return m;
    }

    /** The Normal zone. */
    public static Zone normal(Machine m) {
        return m.zone(ZoneType.NORMAL);
    }

    /** A page from the allocator (count 1), without steps visible to a test: cpu 0 allocates it. */
    public static Page alloc(Machine m) {
        Page p = m.pageAlloc().rmqueue(m.cpu(0), normal(m), 0);
        if (p == null) {
            throw new IllegalStateException("zone exhausted");
        }
        return p;
    }

    /**
     * A page on the Normal zone's LRU with {@code count} references and no mapping (truncated,
     * or anonymous after unmap: docs/RACE.md's setup), put there without steps.
     */
    public static Page lruPage(Machine m, int count, boolean active) {
        Page p = alloc(m);
        p.setCountQuietly(count);
        Lru.of(m).zone(normal(m)).addQuietly(p, active);
        return p;
    }
}
