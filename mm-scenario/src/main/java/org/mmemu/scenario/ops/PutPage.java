package org.mmemu.scenario.ops;

import org.mmemu.lru.LruCache;

/**
 * {@code put_page(page)} — include/linux/mm.h, 2.5.32 (docs/FIDELITY.md): {@code put_page_testzero}
 * then {@code __page_cache_release}, the same path as {@code page_cache_release} through the
 * machine's protocol ({@code LruCache.putPage}). (In 2.5.31 it was {@code __free_page}, which did
 * not look at PG_lru; the machine always has mm-lru now, so the 2.5.32 form is the one run.)
 * Form: {@code put_page: P}.
 */
public final class PutPage implements OperationType {
    @Override
    public String name() {
        return "put_page";
    }

    @Override
    public String source() {
        return "include/linux/mm.h";
    }

    @Override
    public String summary() {
        return "drop a reference; the last one frees the page, off the LRU first (2.5.32: __page_cache_release)";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> LruCache.putPage(cpu, p.in(world));
    }
}
