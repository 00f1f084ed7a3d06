package org.mmemu.engine.hb;

import org.mmemu.core.emu.Access;

/**
 * What one step touches: its target's identity, the field of the target and the access. Two
 * steps whose footprints are {@linkplain #dependsOn dependent} do not commute, which is all
 * partial-order reduction and happens-before ({@link VectorClock}) need to know of a step, as
 * loom's {@code src/rt/access.rs} keeps only the last accesses per object.
 *
 * @param target the object the step touches, compared by identity (null: none)
 * @param field  the part of it ({@link Access#sameField}: a page's count, each of its flag
 *               bits and its list link are apart)
 * @param access how it touches it
 */
public record Footprint(Object target, int field, Access access) {
    /** A footprint on the whole target. */
    public Footprint(Object target, Access access) {
        this(target, Access.WHOLE, access);
    }

    /**
     * Whether the two steps do not commute: same target (by identity), overlapping fields
     * ({@link Access#sameField}) and at least one writes. LOCK and UNLOCK write, so two
     * operations on one lock are always dependent.
     */
    public boolean dependsOn(Footprint o) {
        return target != null && target == o.target && Access.sameField(field, o.field)
                && (access.writes() || o.access.writes());
    }
}
