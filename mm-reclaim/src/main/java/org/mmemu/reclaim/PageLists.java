package org.mmemu.reclaim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;

/**
 * {@code struct address_space}'s {@code clean_pages} and {@code dirty_pages} lists and the
 * {@code page->list} link that threads a page-cache page onto one of them (include/linux/fs.h
 * and mm/filemap.c, 2.5.30-2.5.33: {@code add_to_page_cache()} adds to {@code clean_pages},
 * {@code __set_page_dirty_nobuffers()} moves to {@code dirty_pages},
 * {@code __remove_from_page_cache()} deletes). Every link load and store is a step
 * ({@link ListHead}); 2.5's {@code list_del()} stores NULL, so a second delete is the NULL
 * dereference it was ({@code list-corruption}).
 *
 * <p>Kept only on a machine that asks for it ({@code machine: page-lists: true}, catalogue 06):
 * elsewhere the mirrors keep a mapping's pages in its tree alone, the departure docs/FIDELITY.md
 * lists for truncate (the four lists walked as one), so that no shipped scenario's steps change.
 * {@code io_pages} and {@code locked_pages} are not kept (nothing here puts a page there), and
 * shrink_list()'s and writeback's moves between the lists are not made.
 */
public final class PageLists {
    /** {@code page->list}: a page's link on its mapping's lists. */
    static final class Link extends ListHead {
        final Page page;

        Link(Page page) {
            this.page = page;
        }

        @Override
        public String toString() {
            return "page->list of " + page;
        }
    }

    private static final Site ADD = Site.of("___add_to_page_cache", "list_add(&page->list, &mapping->clean_pages)");
    private static final Site DEL = Site.of("__remove_from_page_cache", "list_del(&page->list)");

    private final ListHead cleanPages = new ListHead();
    private final ListHead dirtyPages = new ListHead();
    private final Map<Page, Link> links = new ConcurrentHashMap<>();

    /** Setup, not kernel: {@code page} onto {@code dirty_pages} or {@code clean_pages}, no steps. */
    void addQuietly(Page page, boolean dirty) {
        Link l = links.computeIfAbsent(page, Link::new);
        (dirty ? dirtyPages : cleanPages).addTailQuietly(l);
    }

    /** add_to_page_cache()'s {@code list_add(&page->list, &mapping->clean_pages)}: five steps. */
    void addClean(Cpu cpu, Page page) {
        cleanPages.listAdd(cpu, ADD, links.computeIfAbsent(page, Link::new));
    }

    /** __remove_from_page_cache()'s {@code list_del(&page->list)} (page_lock held): six steps. */
    void del(Cpu cpu, Page page) {
        Link l = links.get(page);
        if (l != null) {
            l.listDel(cpu, DEL);
        }
    }

    /**
     * __set_page_dirty_nobuffers()'s {@code list_del(&page->list); list_add(&page->list,
     * &mapping->dirty_pages);} (page_lock held): eleven steps, at {@code del} and {@code add}.
     */
    void moveToDirty(Cpu cpu, Page page, Site del, Site add) {
        Link l = links.computeIfAbsent(page, Link::new);
        l.listDel(cpu, del);
        dirtyPages.listAdd(cpu, add, l);
    }

    /** Whether {@code page} is linked on {@code dirty_pages}, without steps: for checks. */
    public boolean onDirtyPagesQuietly(Page page) {
        Link l = links.get(page);
        for (ListHead e = dirtyPages.next(); l != null && e != null && e != dirtyPages; e = e.next()) {
            if (e == l) {
                return true;
            }
        }
        return false;
    }
}
