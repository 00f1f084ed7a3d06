package org.mmemu.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.page.ZoneType;

/**
 * What a machine is made of: CPUs, zone sizes in pages, whether page counts are biased by -1
 * (2.6.7-2.6.15; the {@code testone} protocol needs it), which kinds of finding end a run, and
 * whether the allocator's own {@code BUG()} checks are compiled in.
 *
 * @param allocatorBugChecks whether {@code __free_pages_ok()} and {@code prep_new_page()} run
 *        their {@code BUG()} checks (true, as in every kernel). Off, a bad free reaches the
 *        emulator's bad-page detector instead of the kernel's check: that is how a scenario
 *        shows what the shadow state sees behind a check the kernel already had.
 */
public record MachineConfig(int cpus, Map<ZoneType, Integer> zones, boolean biasedCount,
                            Set<FindingKind> stopKinds, boolean allocatorBugChecks) {

    public MachineConfig {
        checkArgument(cpus >= 1 && cpus <= 64, "cpus must be between 1 and 64, not %s", cpus);
        for (Map.Entry<ZoneType, Integer> z : checkNotNull(zones, "zones").entrySet()) {
            checkArgument(z.getValue() >= 0, "zone %s cannot have %s pages", z.getKey(), z.getValue());
        }
        zones = Map.copyOf(zones);
        stopKinds = Set.copyOf(checkNotNull(stopKinds, "stopKinds"));
    }

    /** A machine with the allocator's BUG() checks on. */
    public MachineConfig(int cpus, Map<ZoneType, Integer> zones, boolean biasedCount, Set<FindingKind> stopKinds) {
        this(cpus, zones, biasedCount, stopKinds, true);
    }

    /** {@code cpus} CPUs and one Normal zone of {@code pages} pages. */
    public static MachineConfig of(int cpus, int pages) {
        return new MachineConfig(cpus, Map.of(ZoneType.NORMAL, pages), false, Detectors.defaultStopKinds(), true);
    }

    public MachineConfig withZone(ZoneType type, int pages) {
        EnumMap<ZoneType, Integer> m = new EnumMap<>(ZoneType.class);
        m.putAll(zones);
        m.put(type, pages);
        return new MachineConfig(cpus, m, biasedCount, stopKinds, allocatorBugChecks);
    }

    public MachineConfig withBiasedCount(boolean biased) {
        return new MachineConfig(cpus, zones, biased, stopKinds, allocatorBugChecks);
    }

    public MachineConfig withStopKinds(Set<FindingKind> kinds) {
        return new MachineConfig(cpus, zones, biasedCount, kinds, allocatorBugChecks);
    }

    public MachineConfig withCpus(int n) {
        return new MachineConfig(n, zones, biasedCount, stopKinds, allocatorBugChecks);
    }

    public MachineConfig withAllocatorBugChecks(boolean on) {
        return new MachineConfig(cpus, zones, biasedCount, stopKinds, on);
    }
}
