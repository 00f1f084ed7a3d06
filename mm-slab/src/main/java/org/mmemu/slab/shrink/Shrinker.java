package org.mmemu.slab.shrink;

import org.mmemu.core.list.ListHead;

/**
 * {@code struct shrinker} — mm/vmscan.c, 2.5.42 (SHR, docs/FIDELITY.md): the callback, its link on
 * {@code shrinker_list} (the shrinker is its own list entry), {@code seeks} (how costly an object
 * is to recreate; {@code DEFAULT_SEEKS} is 2) and {@code nr}, the scan credit accumulated and not
 * yet handed to the callback. {@code nr} is protected by {@code shrinker_sem}.
 */
public final class Shrinker extends ListHead {
    /** {@code DEFAULT_SEEKS}. */
    public static final int DEFAULT_SEEKS = 2;

    final ShrinkerFn shrinker;
    final int seeks;
    long nr;

    Shrinker(ShrinkerFn fn, int seeks) {
        this.shrinker = fn;
        this.seeks = seeks;
    }

    /** {@code shrinker->seeks}. */
    public int seeks() {
        return seeks;
    }

    /** {@code shrinker->nr}, read without a step. */
    public long nrQuietly() {
        return nr;
    }

    @Override
    public String toString() {
        return "shrinker(seeks " + seeks + ", nr " + nr + ")";
    }
}
