package org.mmemu.core.page;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;

/**
 * {@code area->free_list} of mm/page_alloc.c (2.5.31): the free blocks of one order, linked
 * through {@code page->list}, with the list.h operations the buddy allocator uses on it.
 *
 * <p><b>Why not a {@link ListHead}.</b> {@code page->lru} is the page itself (it extends
 * {@code ListHead}); a second {@code ListHead} object per page for {@code page->list} cost 24
 * bytes a page. Here the link is two fields of {@link Page} ({@code lnext}, {@code lprev}) and
 * the head is a sentinel page that is no frame. The operations keep everything
 * {@code ListHead}'s did: the same steps ({@code list_add()} five, {@code list_del()} six),
 * the same CONFIG_DEBUG_LIST checks and messages, the same NULL or poison stores.
 *
 * <p><b>What a step names.</b> As before the fold, a step on the head names a {@code ListHead}
 * of its own, and a step on a page's {@code page->list} names a {@link PageLink} (the zone's:
 * one for all its pages). Every {@code page->list} operation is made under {@code zone->lock},
 * so no two of them are ever pending on two CPUs at once, and one target per zone takes no
 * independence from the engines' partial-order reduction that a target per page gave; and none
 * of them is ever confused with a step on the page itself (its count, its flags, its
 * {@code page->lru}), whose target is the page.
 */
final class FreeList {
    /** {@code LIST_POISON1} for {@code page->list}: never linked, never changed. */
    static final Page POISON1 = new Page();
    /** {@code LIST_POISON2} for {@code page->list}. */
    static final Page POISON2 = new Page();

    /** The head: a sentinel page, never in {@code mem_map}. */
    final Page head = new Page();
    private final ListHead headTarget = new ListHead();
    private final PageLink linkTarget;

    FreeList(PageLink linkTarget) {
        this.linkTarget = linkTarget;
        head.lnext = head;
        head.lprev = head;
    }

    private Object target(Page p) {
        return p == head ? headTarget : linkTarget;
    }

    /** The first block, or null if the list is empty; read without a step. */
    Page first() {
        Page p = head.lnext;
        return p == head ? null : p;
    }

    /**
     * {@code list_add(&page->list, &area->free_list)} (include/linux/list.h, 2.5.31-2.6.7): five
     * steps in {@code __list_add()}'s order, as {@link ListHead#listAdd}.
     */
    void listAdd(Cpu cpu, Site site, Page entry) {
        Page prev = head;
        cpu.step(ListHead.addStep(site, 0), target(prev), Access.READ);
        Page next = prev.lnext;
        if (next == null || next.lprev != prev || entry == prev || entry == next) {
            corrupt(cpu, site, entry, "list_add corruption: next->prev should be prev");
        }
        cpu.step(ListHead.addStep(site, 1), target(next), Access.WRITE);
        next.lprev = entry;
        cpu.step(ListHead.addStep(site, 2), target(entry), Access.WRITE);
        entry.lnext = next;
        cpu.step(ListHead.addStep(site, 3), target(entry), Access.WRITE);
        entry.lprev = prev;
        cpu.step(ListHead.addStep(site, 4), target(prev), Access.WRITE);
        prev.lnext = entry;
    }

    /**
     * {@code list_del(&page->list)} (include/linux/list.h, 2.5.31-2.5.33: NULL; 2.6.0-2.6.7:
     * LIST_POISON): six steps, as {@link ListHead#listDel}.
     */
    void listDel(Cpu cpu, Site site, Page entry) {
        boolean poisons = cpu.listDelPoisons();
        cpu.step(ListHead.delStep(site, 0, poisons), target(entry), Access.READ);
        Page prev = entry.lprev;
        cpu.step(ListHead.delStep(site, 1, poisons), target(entry), Access.READ);
        Page next = entry.lnext;
        if (next == POISON1 || prev == POISON2) {
            corrupt(cpu, site, entry, "list_del corruption: entry already deleted (its links are LIST_POISON)");
        }
        if (next == null || prev == null) {
            corrupt(cpu, site, entry, "list_del: entry->" + (prev == null ? "prev" : "next")
                    + " is NULL (deleted by 2.5's list_del, or never linked): NULL pointer dereference");
        }
        if (next == entry) {
            corrupt(cpu, site, entry, "list_del corruption: entry is not on a list");
        }
        if (prev.lnext != entry || next.lprev != entry) {
            corrupt(cpu, site, entry, "list_del corruption: neighbours do not point back");
        }
        cpu.step(ListHead.delStep(site, 2, poisons), target(next), Access.WRITE);
        next.lprev = prev;
        cpu.step(ListHead.delStep(site, 3, poisons), target(prev), Access.WRITE);
        prev.lnext = next;
        cpu.step(ListHead.delStep(site, 4, poisons), target(entry), Access.WRITE);
        entry.lnext = poisons ? POISON1 : null;
        cpu.step(ListHead.delStep(site, 5, poisons), target(entry), Access.WRITE);
        entry.lprev = poisons ? POISON2 : null;
    }

    /** Adds {@code entry} at the tail without steps: for boot. */
    void addTailQuietly(Page entry) {
        Page last = head.lprev;
        entry.lnext = head;
        entry.lprev = last;
        last.lnext = entry;
        head.lprev = entry;
    }

    /** Unlinks {@code entry} and self-links it without steps: for boot. */
    static void delQuietly(Page entry) {
        entry.lnext.lprev = entry.lprev;
        entry.lprev.lnext = entry.lnext;
        entry.lnext = entry;
        entry.lprev = entry;
    }

    /** Whether {@code p}, met walking the list, shows the list is broken. */
    static boolean broken(Page p) {
        return p == null || p == POISON1 || p == POISON2 || p.lnext == POISON1 || p.lprev == POISON2;
    }

    private static void corrupt(Cpu cpu, Site site, Page entry, String message) {
        // Going on would walk a broken list: the corruption always ends this CPU's code.
        throw cpu.detectors().fatal(FindingKind.LIST_CORRUPTION, cpu, entry.pfn(), site, message);
    }
}
