package org.mmemu.scenario.ops;

import java.util.LinkedHashSet;
import java.util.Set;
import org.mmemu.core.page.ZoneType;

/**
 * What a program may refer to while it is read: the pages of {@code pages:}, the pages this
 * program bound earlier ({@code alloc_pages: {as: Q}}), the machine's zones and CPUs.
 */
public final class Scope {
    private final Set<String> declared;
    private final Set<String> bound = new LinkedHashSet<>();
    /** The names every program of the file bound, shared by the scopes {@link #fresh} makes. */
    private final Set<String> boundInFile;
    private final Set<ZoneType> zones;
    private final int cpus;

    public Scope(Set<String> declared, Set<ZoneType> zones, int cpus) {
        this(declared, zones, cpus, new LinkedHashSet<>());
    }

    private Scope(Set<String> declared, Set<ZoneType> zones, int cpus, Set<String> boundInFile) {
        this.declared = Set.copyOf(declared);
        this.zones = Set.copyOf(zones);
        this.cpus = cpus;
        this.boundInFile = boundInFile;
    }

    /** A scope over the same pages and machine with no names bound yet (another program). */
    public Scope fresh() {
        return new Scope(declared, zones, cpus, boundInFile);
    }

    /** The names any program of the file bound with {@code as:}, so far. */
    public Set<String> boundInFile() {
        return java.util.Collections.unmodifiableSet(boundInFile);
    }

    public boolean knows(String page) {
        return declared.contains(page) || bound.contains(page);
    }

    /** Whether {@code page} is taken already, by {@code pages:} or an earlier binding. */
    public boolean taken(String page) {
        return knows(page);
    }

    void bind(String page) {
        bound.add(page);
        boundInFile.add(page);
    }

    public Set<String> declared() {
        return declared;
    }

    public boolean hasZone(ZoneType z) {
        return zones.contains(z);
    }

    public int cpus() {
        return cpus;
    }
}
