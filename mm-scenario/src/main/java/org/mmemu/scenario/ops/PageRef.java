package org.mmemu.scenario.ops;

import org.mmemu.core.page.Page;

/**
 * A page named in a program, checked to be defined when the file was read, and looked up in the
 * world of each run (every execution boots its own machine, so pages cannot be bound earlier).
 *
 * @param name  the page's name in the file
 * @param where {@code file:line:column} of the reference
 */
public record PageRef(String name, String where) {
    /** The page in {@code world}. */
    public Page in(World world) {
        return world.page(name, where);
    }

    @Override
    public String toString() {
        return name;
    }
}
