package org.mmemu.tests.ops;

/**
 * {@code put_page(page)} — include/linux/mm.h, 2.5.31, where it is {@code __free_page(page)}:
 * {@code __free_pages(page, 0)}, that is, skip a reserved page, drop a reference with
 * {@code put_page_testzero} and, if it was the last, {@code __free_pages_ok}. It does not look at
 * PG_lru: dropping the last reference of a page on the LRU this way trips the BUG check of
 * {@code __free_pages_ok}, as it did in the kernel; use {@code page_cache_release} for LRU pages.
 * (From 2.5.32 put_page went through {@code __page_cache_release}, reference §1.1.)
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
        return "drop a reference, freeing the page if it was the last (2.5.31: __free_page)";
    }

    @Override
    public Operation bind(Args args) {
        PageRef p = args.page("page", 0);
        args.done();
        return (world, cpu) -> world.machine().pageAlloc().freePages(cpu, p.in(world), 0);
    }
}
