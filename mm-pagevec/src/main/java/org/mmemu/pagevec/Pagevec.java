package org.mmemu.pagevec;

import org.mmemu.core.page.Page;

/**
 * {@code struct pagevec} of include/linux/pagevec.h (2.5.32, docs/FIDELITY.md): a small batch of
 * page pointers, so that the LRU lock is taken once per batch rather than once per page.
 *
 * <p>A pagevec lives on a kernel stack or in a per-CPU variable used with preemption off, so
 * only its own CPU ever touches it: its operations are not steps.
 */
public final class Pagevec {
    /** {@code PAGEVEC_SIZE} in 2.5.32. */
    public static final int PAGEVEC_SIZE = 16;

    private int nr;
    private final Page[] pages = new Page[PAGEVEC_SIZE];

    /** include/linux/pagevec.h: pagevec_init() (2.5.32). */
    public void pagevecInit() {
        nr = 0;
    }

    /** include/linux/pagevec.h: pagevec_reinit() (2.5.32). */
    public void pagevecReinit() {
        nr = 0;
    }

    /** include/linux/pagevec.h: pagevec_count() (2.5.32). */
    public int pagevecCount() {
        return nr;
    }

    /** include/linux/pagevec.h: pagevec_space() (2.5.32). */
    public int pagevecSpace() {
        return PAGEVEC_SIZE - nr;
    }

    /**
     * include/linux/pagevec.h: pagevec_add() (2.5.32): stores {@code pages[nr++] = page} and
     * returns the space left; 0 means the vector is full and must be flushed.
     */
    public int pagevecAdd(Page page) {
        pages[nr++] = page;
        return PAGEVEC_SIZE - nr;
    }

    /** {@code pvec->pages[i]}. */
    public Page page(int i) {
        return pages[i];
    }

    /** {@code pvec->pages}: the backing array, valid in {@code [0, pagevecCount())}. */
    public Page[] pages() {
        return pages;
    }
}
