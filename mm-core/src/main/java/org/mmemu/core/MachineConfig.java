package org.mmemu.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.page.ZoneType;

/**
 * What a machine is made of: CPUs, zone sizes in pages, whether page counts are biased by -1
 * (2.6.7-2.6.15; the {@code testone} protocol needs it), and which kinds of finding end a run.
 */
public record MachineConfig(int cpus, Map<ZoneType, Integer> zones, boolean biasedCount,
                            Set<FindingKind> stopKinds) {

    public MachineConfig {
        if (cpus < 1 || cpus > 64) {
            throw new IllegalArgumentException("cpus must be between 1 and 64, not " + cpus);
        }
        zones = Map.copyOf(zones);
        stopKinds = Set.copyOf(stopKinds);
    }

    /** {@code cpus} CPUs and one Normal zone of {@code pages} pages. */
    public static MachineConfig of(int cpus, int pages) {
        return new MachineConfig(cpus, Map.of(ZoneType.NORMAL, pages), false, Detectors.defaultStopKinds());
    }

    public MachineConfig withZone(ZoneType type, int pages) {
        EnumMap<ZoneType, Integer> m = new EnumMap<>(ZoneType.class);
        m.putAll(zones);
        m.put(type, pages);
        return new MachineConfig(cpus, m, biasedCount, stopKinds);
    }

    public MachineConfig withBiasedCount(boolean biased) {
        return new MachineConfig(cpus, zones, biased, stopKinds);
    }

    public MachineConfig withStopKinds(Set<FindingKind> kinds) {
        return new MachineConfig(cpus, zones, biasedCount, kinds);
    }

    public MachineConfig withCpus(int n) {
        return new MachineConfig(n, zones, biasedCount, stopKinds);
    }
}
