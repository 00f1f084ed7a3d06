package org.mmemu.core.list;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;

/**
 * {@code struct list_head} and the operations of include/linux/list.h (2.5.31-2.6.7; the store
 * order of {@code __list_add()} and {@code __list_del()} is the same in every stored version),
 * intrusive as in the kernel: a {@code Page} is its own {@code lru} entry (it extends this
 * class), and {@link #entry} is {@code list_entry()}.
 *
 * <p><b>Steps.</b> One step per load and store of a link, in the text's order.
 * {@code list_add(new, head)} is {@code __list_add(new, head, head->next)}: the load of
 * {@code head->next}, then {@code next->prev = new; new->next = next; new->prev = prev;
 * prev->next = new;} (five steps: the seed mail's "five instruction window", docs/RACE.md row 6).
 * {@code list_del(entry)} is {@code __list_del(entry->prev, entry->next)}, then two stores to
 * the entry: the loads of {@code entry->prev} and {@code entry->next} (C leaves the order of
 * arguments unspecified; here prev then next), {@code next->prev = prev},
 * {@code prev->next = next}, {@code entry->next = ...}, {@code entry->prev = ...} (six steps).
 * {@code list_del_init()} is the same four, then {@code INIT_LIST_HEAD(entry)}'s two stores;
 * {@code list_move()} the same four, then {@code list_add()}'s five (no stores to the entry).
 *
 * <p><b>NULL or poison.</b> 2.5's {@code list_del()} stores NULL in the entry's links
 * ({@code entry->next = (void *) 0}, 2.5.31-2.5.33 text); 2.6.0 on stores {@link #POISON1} /
 * {@link #POISON2} ({@code LIST_POISON1/2}). Which one is the kernel's: {@link Cpu#listDelPoisons()}.
 * A second delete of a 2.5 entry dereferences NULL (an oops), of a 2.6 entry a poison value:
 * either way a {@link FindingKind#LIST_CORRUPTION} finding, its message saying which.
 *
 * <p><b>Checks.</b> Every operation checks its neighbours and reports list corruption with the
 * messages of CONFIG_DEBUG_LIST. Departure: CONFIG_DEBUG_LIST is 2.6.19's; none of these
 * kernels checks. The checks are a detector of the emulator, not a mirror: a corrupt list in
 * these kernels crashes or corrupts memory later, here it is a finding at once.
 *
 * <p><b>What a step names.</b> Each step names the object its load or store touches: the entry,
 * the previous entry or head, the next entry. The engines' partial-order reduction therefore
 * sees a {@code list_del()} of one entry and an operation on its neighbour as dependent, as they
 * are, even on a list reached without its lock. Departure: {@code list_splice()} is one step
 * on the head (only reclaim's private lists are spliced, never a shared list).
 */
public class ListHead {
    /** {@code LIST_POISON1}: what a deleted entry's next points to. Never linked, never changed. */
    public static final ListHead POISON1 = new ListHead(true);
    /** {@code LIST_POISON2}: what a deleted entry's prev points to. */
    public static final ListHead POISON2 = new ListHead(true);

    private static final String[] ADD_STEPS = {
        "load head->next", "next->prev = new", "new->next = next", "new->prev = prev", "prev->next = new"
    };
    private static final String[] ADD_TAIL_STEPS = {
        "load head->prev", "next->prev = new", "new->next = next", "new->prev = prev", "prev->next = new"
    };
    private static final String[] DEL_NULL_STEPS = {
        "load entry->prev", "load entry->next", "next->prev = prev", "prev->next = next",
        "entry->next = NULL", "entry->prev = NULL"
    };
    private static final String[] DEL_POISON_STEPS = {
        "load entry->prev", "load entry->next", "next->prev = prev", "prev->next = next",
        "entry->next = LIST_POISON1", "entry->prev = LIST_POISON2"
    };
    private static final String[] DEL_INIT_STEPS = {
        "load entry->prev", "load entry->next", "next->prev = prev", "prev->next = next",
        "entry->next = entry", "entry->prev = entry"
    };
    private static final String[] MOVE_STEPS = {
        "load list->prev", "load list->next", "next->prev = prev", "prev->next = next",
        "load head->next", "next->prev = new", "new->next = next", "new->prev = prev", "prev->next = new"
    };
    private static final String[] MOVE_TAIL_STEPS = {
        "load list->prev", "load list->next", "next->prev = prev", "prev->next = next",
        "load head->prev", "next->prev = new", "new->next = next", "new->prev = prev", "prev->next = new"
    };

    ListHead next;
    ListHead prev;

    /**
     * The site of instruction {@code i} (0-4) of a {@code list_add()} at {@code site}: for lists
     * that are not made of {@code ListHead}s (the buddy allocator's {@code page->list}) but must
     * step exactly as this class does.
     */
    public static Site addStep(Site site, int i) {
        return site.part(i, ADD_STEPS);
    }

    /**
     * The site of step {@code i} (0-5) of a {@code list_del()} at {@code site} on a kernel that
     * stores NULL ({@code poisons} false) or LIST_POISON: for the buddy allocator's
     * {@code page->list}, which must step exactly as this class does.
     */
    public static Site delStep(Site site, int i, boolean poisons) {
        return site.part(i, poisons ? DEL_POISON_STEPS : DEL_NULL_STEPS);
    }

    /** An empty list head ({@code LIST_HEAD_INIT}): points to itself. */
    public ListHead() {
        next = this;
        prev = this;
    }

    private ListHead(boolean poison) {
        // the poison values point nowhere
    }

    /** {@code INIT_LIST_HEAD()}, without a step: for heads and entries nobody else can see yet. */
    public final void init() {
        next = this;
        prev = this;
    }

    public final ListHead next() {
        return next;
    }

    public final ListHead prev() {
        return prev;
    }

    /** {@code list_empty()}: a plain load of {@code head->next}, one step. */
    public final boolean listEmpty(Cpu cpu, Site site) {
        cpu.step(site, this, Access.LINK, Access.READ);
        return next == this;
    }

    /** {@code list_empty()} without a step, for the emulator's own checks and setup. */
    public final boolean isEmpty() {
        return next == this;
    }

    /**
     * Whether this entry has been deleted with {@code list_del()} and not re-added: its links
     * are LIST_POISON (2.6) or NULL (2.5).
     */
    public final boolean isPoisoned() {
        return next == POISON1 || prev == POISON2 || (next == null && prev == null);
    }

    /** Whether this entry is linked into some list (neither self-linked nor poisoned nor never linked). */
    public final boolean isLinked() {
        return next != null && next != this && !isPoisoned();
    }

    /** {@code list_entry()}: the structure this entry is embedded in. */
    @SuppressWarnings("unchecked")
    public final <T extends ListHead> T entry(Class<T> type) {
        return type.cast(this);
    }

    /**
     * {@code list_entry(head->prev, type, lru)}, as reclaim takes a list's tail, without a step
     * (the caller stepped on the load of {@code head->prev}). On a corrupt list (an entry another
     * CPU deleted without the lock, a poisoned link) the tail is no such structure: that is a
     * {@link FindingKind#LIST_CORRUPTION} finding, as CONFIG_DEBUG_LIST would report, rather than
     * an error of the emulator.
     */
    public final <T extends ListHead> T tailEntry(Cpu cpu, Site site, Class<T> type) {
        ListHead tail = prev;
        if (!type.isInstance(tail)) {
            corrupt(cpu, site, "list_entry(head->prev) is no " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + (tail == null ? ": head->prev is NULL" : tail == POISON1 || tail == POISON2
                    ? ": head->prev is a poisoned link (LIST_POISON)" : ": the list is corrupt"));
        }
        return type.cast(tail);
    }

    /**
     * {@code list_add(new, head)} (include/linux/list.h, 2.5.31-2.6.7):
     * {@code __list_add(new, head, head->next)}; adds {@code entry} after this head (a stack).
     * Five steps.
     */
    public final void listAdd(Cpu cpu, Site site, ListHead entry) {
        cpu.step(site.part(0, ADD_STEPS), this, Access.LINK, Access.READ);
        insert(cpu, site, ADD_STEPS, 0, entry, this, this.next);
    }

    /**
     * {@code list_add_tail(new, head)} (include/linux/list.h, 2.5.31-2.6.7):
     * {@code __list_add(new, head->prev, head)}; adds {@code entry} before this head (a queue).
     * Five steps.
     */
    public final void listAddTail(Cpu cpu, Site site, ListHead entry) {
        cpu.step(site.part(0, ADD_TAIL_STEPS), this, Access.LINK, Access.READ);
        insert(cpu, site, ADD_TAIL_STEPS, 0, entry, this.prev, this);
    }

    /**
     * {@code __list_add(new, prev, next)} (include/linux/list.h, 2.5.31-2.6.7): {@code next->prev
     * = new; new->next = next; new->prev = prev; prev->next = new;}, one step each (parts 2-5 of
     * the caller's five from {@code base}; part 1 was the load of the head's link).
     */
    private static void insert(Cpu cpu, Site site, String[] steps, int base, ListHead entry, ListHead prevEntry,
            ListHead nextEntry) {
        entry.checkUse(cpu, site, "list_add");
        if (nextEntry == null || prevEntry == null || nextEntry.prev != prevEntry || prevEntry.next != nextEntry
                || entry == prevEntry || entry == nextEntry) {
            entry.corrupt(cpu, site, "list_add corruption: next->prev should be prev");
        }
        cpu.step(site.part(base + 1, steps), nextEntry, Access.LINK, Access.WRITE);
        nextEntry.prev = entry;
        cpu.step(site.part(base + 2, steps), entry, Access.LINK, Access.WRITE);
        entry.next = nextEntry;
        cpu.step(site.part(base + 3, steps), entry, Access.LINK, Access.WRITE);
        entry.prev = prevEntry;
        cpu.step(site.part(base + 4, steps), prevEntry, Access.LINK, Access.WRITE);
        prevEntry.next = entry;
    }

    /**
     * {@code list_del(entry)} (include/linux/list.h, 2.5.31-2.5.33: NULL; 2.6.0-2.6.7:
     * LIST_POISON): {@code __list_del(entry->prev, entry->next)} and the two stores to the entry,
     * NULL or poison as {@link Cpu#listDelPoisons()} says. Six steps.
     */
    public final void listDel(Cpu cpu, Site site) {
        boolean poisons = cpu.listDelPoisons();
        unlink(cpu, site, poisons ? DEL_POISON_STEPS : DEL_NULL_STEPS, "list_del");
        cpu.step(site.part(4, poisons ? DEL_POISON_STEPS : DEL_NULL_STEPS), this, Access.LINK, Access.WRITE);
        next = poisons ? POISON1 : null;
        cpu.step(site.part(5, poisons ? DEL_POISON_STEPS : DEL_NULL_STEPS), this, Access.LINK, Access.WRITE);
        prev = poisons ? POISON2 : null;
    }

    /**
     * {@code list_del_init(entry)} (include/linux/list.h, 2.5.31-2.6.7): {@code __list_del()},
     * then {@code INIT_LIST_HEAD(entry)}'s two stores. Six steps.
     */
    public final void listDelInit(Cpu cpu, Site site) {
        unlink(cpu, site, DEL_INIT_STEPS, "list_del_init");
        cpu.step(site.part(4, DEL_INIT_STEPS), this, Access.LINK, Access.WRITE);
        next = this;
        cpu.step(site.part(5, DEL_INIT_STEPS), this, Access.LINK, Access.WRITE);
        prev = this;
    }

    /**
     * {@code __list_del(entry->prev, entry->next)} (include/linux/list.h, 2.5.31-2.6.7): the two
     * loads of the entry's links, then {@code next->prev = prev; prev->next = next;} on the
     * neighbours: steps 1-4 of {@code steps}.
     */
    private void unlink(Cpu cpu, Site site, String[] steps, String what) {
        cpu.step(site.part(0, steps), this, Access.LINK, Access.READ);
        checkUse(cpu, site, what);
        ListHead p = prev;
        cpu.step(site.part(1, steps), this, Access.LINK, Access.READ);
        ListHead n = next;
        if (n == POISON1 || p == POISON2) {
            corrupt(cpu, site, what + " corruption: entry already deleted (its links are LIST_POISON)");
        }
        if (n == null || p == null) {
            corrupt(cpu, site, what + ": entry->" + (p == null ? "prev" : "next")
                    + " is NULL (deleted by 2.5's list_del, or never linked): NULL pointer dereference");
        }
        if (n == this) {
            corrupt(cpu, site, what + " corruption: entry is not on a list");
        }
        if (p.next != this || n.prev != this) {
            corrupt(cpu, site, what + " corruption: neighbours do not point back");
        }
        cpu.step(site.part(2, steps), n, Access.LINK, Access.WRITE);
        n.prev = p;
        cpu.step(site.part(3, steps), p, Access.LINK, Access.WRITE);
        p.next = n;
    }

    /**
     * {@code list_move(list, head)} (include/linux/list.h, 2.5.31-2.6.7):
     * {@code __list_del(list->prev, list->next); list_add(list, head);}. Nine steps, no NULL or
     * poison stores.
     */
    public final void listMove(Cpu cpu, Site site, ListHead head) {
        unlink(cpu, site, MOVE_STEPS, "list_move");
        cpu.step(site.part(4, MOVE_STEPS), head, Access.LINK, Access.READ);
        insert(cpu, site, MOVE_STEPS, 4, this, head, head.next);
    }

    /**
     * {@code list_move_tail(list, head)} (include/linux/list.h, 2.5.31-2.6.7):
     * {@code __list_del(list->prev, list->next); list_add_tail(list, head);}. Nine steps.
     */
    public final void listMoveTail(Cpu cpu, Site site, ListHead head) {
        unlink(cpu, site, MOVE_TAIL_STEPS, "list_move_tail");
        cpu.step(site.part(4, MOVE_TAIL_STEPS), head, Access.LINK, Access.READ);
        insert(cpu, site, MOVE_TAIL_STEPS, 4, this, head.prev, head);
    }

    /**
     * {@code list_splice(list, head)}: joins {@code list} after this head; {@code list} is left
     * as it was (the kernel does not reinitialise it either). One step.
     */
    public final void listSplice(Cpu cpu, Site site, ListHead list) {
        cpu.step(site, this, Access.LINK, Access.WRITE);
        if (list.next == list) {
            return;
        }
        ListHead first = list.next;
        ListHead last = list.prev;
        ListHead at = this.next;
        first.prev = this;
        this.next = first;
        last.next = at;
        at.prev = last;
    }

    /** {@code list_splice_init(list, head)}. */
    public final void listSpliceInit(Cpu cpu, Site site, ListHead list) {
        listSplice(cpu, site, list);
        list.init();
    }

    /** The number of entries, walking without steps: for the emulator's checks and displays. */
    public final int size() {
        int n = 0;
        for (ListHead e = next; e != this; e = e.next) {
            if (e == null || e.isPoisoned() || e == POISON1) {
                return -1;
            }
            n++;
        }
        return n;
    }

    /** Unlinks this entry and re-initialises it without steps: for setup and boot. */
    public final void delQuietly() {
        next.prev = prev;
        prev.next = next;
        init();
    }

    /** Adds {@code entry} at the tail without steps: for building initial state. */
    public final void addTailQuietly(ListHead entry) {
        ListHead last = this.prev;
        entry.next = this;
        entry.prev = last;
        last.next = entry;
        this.prev = entry;
    }

    /**
     * The page frame whose use the detectors check when kernel code links or unlinks this
     * entry, or -1. A {@code Page} (its {@code page->lru}) returns its pfn, so a list operation
     * on a free page is a use-after-free; the buddy allocator's own {@code page->list} links
     * and plain heads return -1.
     */
    protected long usePfn() {
        return -1;
    }

    private void checkUse(Cpu cpu, Site site, String what) {
        long pfn = usePfn();
        if (pfn >= 0) {
            cpu.detectors().checkInUse(cpu, pfn, site, what);
        }
    }

    /**
     * The page frame this entry belongs to, for findings; -1 for a plain list head. Pages and
     * their {@code page->list} links override it.
     */
    protected long ownerPfn() {
        return -1;
    }

    private void corrupt(Cpu cpu, Site site, String message) {
        // Going on would walk a broken list: the corruption always ends this CPU's code.
        throw cpu.detectors().fatal(FindingKind.LIST_CORRUPTION, cpu, ownerPfn(), site, message);
    }
}
