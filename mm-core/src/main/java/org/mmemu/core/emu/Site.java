package org.mmemu.core.emu;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a step happens: the kernel function and the statement it stands for, e.g.
 * {@code shrink_cache: page_count(page) == 0}.
 *
 * <p>Sites are what traces print, what schedules and tests refer to, and what a reader matches
 * against the kernel source. They are immutable and usually kept as {@code static final}
 * constants beside the mirror that uses them.
 */
public final class Site {
    private final String function;
    private final String statement;
    /** Whether this access is an intended race ({@link #dataRace()}). */
    private final boolean dataRace;
    /** {@link #hashCode()}, kept: the engine's livelock detector compares sites at every step. */
    private final int hash;
    /**
     * Sub-sites for the instructions of a multi-step statement, one entry per list of names it is
     * split with (a statement may be split by version, {@code list_del()} storing NULL on 2.5 and
     * LIST_POISON on 2.6, or by the helper that splits it: {@code list_add} and
     * {@code list_add_tail} share their stores). A benign, idempotent cache: an immutable list,
     * replaced whole, whose final fields publish it so that a plain read sees it whole. Two
     * entries were once kept and a third list made new sites, strings and all, at every step.
     */
    private List<Parts> parts = List.of();

    private record Parts(String[] names, Site[] sites) {
    }

    private Site(String function, String statement, boolean dataRace) {
        this.function = Objects.requireNonNull(function);
        this.statement = Objects.requireNonNull(statement);
        this.dataRace = dataRace;
        this.hash = function.hashCode() * 31 + statement.hashCode();
    }

    /** A site in kernel function {@code function} at statement {@code statement}. */
    public static Site of(String function, String statement) {
        return new Site(function, statement, false);
    }

    /**
     * This site marked as the kernel's {@code data_race()} marks an access (2.6.x's
     * include/linux/compiler.h; the kernels of 2002 had no mark): a race of an access made here
     * is intended (a heuristic read of a counter, a hint), and the data-race detector does not
     * report it. Each marked site is listed, with its reason, in docs/FIDELITY.md. Equal to the
     * unmarked site.
     */
    public Site dataRace() {
        return new Site(function, statement, true);
    }

    /** Whether this site is marked {@link #dataRace()}. */
    public boolean isDataRace() {
        return dataRace;
    }

    /**
     * The site of instruction {@code i} of this statement, when the statement takes several
     * steps (a {@code list_add()} is five): {@code list_add(page, &page_list) [1/5: load head->next]}.
     */
    public Site part(int i, String[] names) {
        List<Parts> known = parts;
        for (int k = 0; k < known.size(); k++) {
            Parts p = known.get(k);
            if (p.names == names) {
                return p.sites[i];
            }
        }
        return makeParts(names).sites[i];
    }

    private Parts makeParts(String[] names) {
        Site[] p = new Site[names.length];
        for (int k = 0; k < names.length; k++) {
            p[k] = new Site(function, statement + " [" + (k + 1) + "/" + names.length + ": " + names[k] + "]", dataRace);
        }
        Parts made = new Parts(names, p);
        List<Parts> more = new ArrayList<>(parts);
        more.add(made);
        parts = List.copyOf(more);
        return made;
    }

    public String function() {
        return function;
    }

    public String statement() {
        return statement;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Site s && s.hash == hash && s.function.equals(function) && s.statement.equals(statement);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return function + ": " + statement;
    }
}
