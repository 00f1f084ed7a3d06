package org.mmemu.lru.protocol;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageAlloc;
import org.mmemu.lru.Lru;

/**
 * Part of the protocol SPI (see {@link org.mmemu.lru.LruProtocol}): the local
 * {@code struct pagevec pages_to_free} of {@code __pagevec_release()} (mm/swap.c,
 * 2.5.32, docs/FIDELITY.md) and its {@code pagevec_free()}: the pages whose count reached zero,
 * freed after the LRU lock is dropped.
 *
 * <p>A stand-in for mm-pagevec's {@code Pagevec}, which the protocols cannot use (mm-pagevec
 * depends on mm-lru, not the reverse). It lives on the releasing CPU's stack, so adding to it
 * is not a step; freeing is {@code __free_pages_ok()} per page, with the releasing function's
 * site so that a double free names both releasers.
 */
public final class PagesToFree {
    /** {@code PAGEVEC_SIZE} (2.5.32). */
    public static final int PAGEVEC_SIZE = 16;

    private final Page[] pages = new Page[PAGEVEC_SIZE];
    private int nr;

    /** An empty vector, as {@code pagevec_init(&pages_to_free, 0)}. */
    public PagesToFree() {
        // fields start empty
    }

    /**
     * include/linux/pagevec.h: pagevec_add() (2.5.32, P5) on {@code pages_to_free}: returns the
     * space left; 0 means full. Not a step (the pagevec is on the releasing CPU's stack).
     */
    public int add(Page page) {
        checkState(nr < PAGEVEC_SIZE, "pages_to_free is full: free it when add() returns 0");
        pages[nr++] = checkNotNull(page, "page");
        return PAGEVEC_SIZE - nr;
    }

    /** include/linux/pagevec.h: pagevec_count() (2.5.32, P5). Not a step. */
    public int count() {
        return nr;
    }

    /**
     * mm/page_alloc.c: {@code pagevec_free()} / {@code __pagevec_free()} (2.5.32 369-372 to 2.6.7):
     * {@code int i = pagevec_count(pvec); while (--i >= 0) __free_pages_ok(pvec->pages[i], 0);}
     * (2.6: {@code free_hot_cold_page}), the last page first, then {@code pagevec_reinit()}.
     */
    public void free(Cpu cpu, Site caller) {
        if (nr == 0) {
            return;
        }
        PageAlloc alloc = Lru.of(cpu).machine().pageAlloc();
        int i = nr;
        while (--i >= 0) {
            alloc.freePagesOk(cpu, pages[i], 0, caller);
            pages[i] = null;
        }
        nr = 0;
    }
}
