package org.mmemu.core.emu;

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
    /**
     * Sub-sites for the instructions of a multi-step statement; a benign, idempotent cache,
     * published through a final field so that a plain read sees it whole.
     */
    private Parts parts;
    /**
     * The same for a second list of names: a statement whose instructions are named by version
     * ({@code list_del()} stores NULL on 2.5, LIST_POISON on 2.6) is split with one of two lists.
     */
    private Parts otherParts;

    private record Parts(String[] names, Site[] sites) {
    }

    private Site(String function, String statement) {
        this.function = Objects.requireNonNull(function);
        this.statement = Objects.requireNonNull(statement);
    }

    /** A site in kernel function {@code function} at statement {@code statement}. */
    public static Site of(String function, String statement) {
        return new Site(function, statement);
    }

    /**
     * The site of instruction {@code i} of this statement, when the statement takes several
     * steps (a {@code list_add()} is five): {@code list_add(page, &page_list) [1/5: load head->next]}.
     */
    public Site part(int i, String[] names) {
        Parts p = parts;
        if (p != null && p.names == names) {
            return p.sites[i];
        }
        Parts q = otherParts;
        if (q != null && q.names == names) {
            return q.sites[i];
        }
        return makeParts(names).sites[i];
    }

    private Parts makeParts(String[] names) {
        Site[] p = new Site[names.length];
        for (int k = 0; k < names.length; k++) {
            p[k] = new Site(function, statement + " [" + (k + 1) + "/" + names.length + ": " + names[k] + "]");
        }
        Parts made = new Parts(names, p);
        if (parts == null) {
            parts = made;
        } else {
            otherParts = made;
        }
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
        return o instanceof Site s && s.function.equals(function) && s.statement.equals(statement);
    }

    @Override
    public int hashCode() {
        return function.hashCode() * 31 + statement.hashCode();
    }

    @Override
    public String toString() {
        return function + ": " + statement;
    }
}
