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
 * @param smp whether the kernel is built with {@code CONFIG_SMP} (true). False is the
 *        uniprocessor build of one CPU, where spinlocks compile to preempt and irq disabling
 *        and bit-spinlocks to nothing ({@code Cpu.smp()}); interrupts still arrive.
 */
public record MachineConfig(int cpus, Map<ZoneType, Integer> zones, boolean biasedCount,
                            Set<FindingKind> stopKinds, boolean allocatorBugChecks, boolean smp) {

    public MachineConfig {
        checkArgument(cpus >= 1 && cpus <= 64, "cpus must be between 1 and 64, not %s", cpus);
        checkArgument(smp || cpus == 1, "a uniprocessor build (smp false) has one CPU, not %s", cpus);
        for (Map.Entry<ZoneType, Integer> z : checkNotNull(zones, "zones").entrySet()) {
            checkArgument(z.getValue() >= 0, "zone %s cannot have %s pages", z.getKey(), z.getValue());
        }
        zones = Map.copyOf(zones);
        stopKinds = Set.copyOf(checkNotNull(stopKinds, "stopKinds"));
    }

    /** An SMP machine. */
    public MachineConfig(int cpus, Map<ZoneType, Integer> zones, boolean biasedCount, Set<FindingKind> stopKinds,
                         boolean allocatorBugChecks) {
        this(cpus, zones, biasedCount, stopKinds, allocatorBugChecks, true);
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
        return new MachineConfig(cpus, m, biasedCount, stopKinds, allocatorBugChecks, smp);
    }

    public MachineConfig withBiasedCount(boolean biased) {
        return new MachineConfig(cpus, zones, biased, stopKinds, allocatorBugChecks, smp);
    }

    public MachineConfig withStopKinds(Set<FindingKind> kinds) {
        return new MachineConfig(cpus, zones, biasedCount, kinds, allocatorBugChecks, smp);
    }

    public MachineConfig withCpus(int n) {
        return new MachineConfig(n, zones, biasedCount, stopKinds, allocatorBugChecks, smp);
    }

    public MachineConfig withAllocatorBugChecks(boolean on) {
        return new MachineConfig(cpus, zones, biasedCount, stopKinds, on, smp);
    }

    /** The same machine built with ({@code true}) or without {@code CONFIG_SMP}. */
    public MachineConfig withSmp(boolean on) {
        return new MachineConfig(cpus, zones, biasedCount, stopKinds, allocatorBugChecks, on);
    }
}
