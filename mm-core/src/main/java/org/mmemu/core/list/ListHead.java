package org.mmemu.core.list;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;

/**
 * {@code struct list_head} and the operations of include/linux/list.h, intrusive as in the
 * kernel: a {@code Page} is its own {@code lru} entry (it extends this class), and
 * {@link #entry} is {@code list_entry()}.
 *
 * <p><b>Steps.</b> The reference counts {@code list_add()} as five instructions (docs/RACE.md
 * row 6: load {@code head->next}, then four stores), and the seed mail's "five instruction
 * window" is exactly that {@code list_add()}; so {@link #listAdd} and {@link #listAddTail} take
 * five steps. {@code list_del()} is one row of the same table and takes one step. Every
 * operation checks its neighbours as CONFIG_DEBUG_LIST does and reports list corruption.
 *
 * <p>{@code list_del()} poisons the entry with {@link #POISON1}/{@link #POISON2}, the
 * LIST_POISON values, so a second delete or a walk through a deleted entry is caught.
 *
 * <p><b>What a step names.</b> A step names one object as its target. {@code list_add()}'s five
 * steps name the object each instruction touches (the previous entry or head, the new entry,
 * the next entry), but the one-step operations ({@code list_del()}, {@code list_del_init()},
 * the delete half of {@code list_move()}) name only the entry being removed (and
 * {@code list_empty()} only the head), although they also write the neighbours' links
 * ({@code next->prev}, {@code prev->next}). The engines' partial-order reduction treats steps
 * on different targets as independent, so a {@code list_del()} of one entry and an operation
 * on its neighbour can look independent while both write the same link. That is sound only
 * because every list the kernel shares between CPUs is protected by a lock
 * ({@code zone->lru_lock} for the LRU lists, {@code zone->lock} for the buddy free lists, the
 * cache's lock for slab lists) whose own steps do conflict and so order any two operations on
 * the same list. A list reached without its lock is outside that guarantee: the DEBUG_LIST
 * checks and the lock-misuse detector are what catch that case, not the exploration.
 */
public class ListHead {
    /** {@code LIST_POISON1}: what a deleted entry's next points to. Never linked, never changed. */
    public static final ListHead POISON1 = new ListHead(true);
    /** {@code LIST_POISON2}: what a deleted entry's prev points to. */
    public static final ListHead POISON2 = new ListHead(true);

    private static final String[] ADD_STEPS = {
        "load head->next", "new->next = next", "new->prev = prev", "next->prev = new", "prev->next = new"
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

    /** Whether this entry has been deleted with {@code list_del()} and not re-added. */
    public final boolean isPoisoned() {
        return next == POISON1 || prev == POISON2;
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

    /** {@code list_add(new, head)}: adds {@code entry} after this head (a stack). Five steps. */
    public final void listAdd(Cpu cpu, Site site, ListHead entry) {
        insert(cpu, site, entry, this);
    }

    /** {@code list_add_tail(new, head)}: adds {@code entry} before this head (a queue). Five steps. */
    public final void listAddTail(Cpu cpu, Site site, ListHead entry) {
        insert(cpu, site, entry, this.prev);
    }

    /** {@code __list_add(new, prev, prev->next)}, one step per instruction. */
    private void insert(Cpu cpu, Site site, ListHead entry, ListHead prevEntry) {
        cpu.step(site.part(0, ADD_STEPS), prevEntry, Access.LINK, Access.READ);
        entry.checkUse(cpu, site, "list_add");
        ListHead nextEntry = prevEntry.next;
        if (nextEntry == null || nextEntry.prev != prevEntry || entry == prevEntry || entry == nextEntry) {
            entry.corrupt(cpu, site, "list_add corruption: next->prev should be prev");
        }
        cpu.step(site.part(1, ADD_STEPS), entry, Access.LINK, Access.WRITE);
        entry.next = nextEntry;
        cpu.step(site.part(2, ADD_STEPS), entry, Access.LINK, Access.WRITE);
        entry.prev = prevEntry;
        cpu.step(site.part(3, ADD_STEPS), nextEntry, Access.LINK, Access.WRITE);
        nextEntry.prev = entry;
        cpu.step(site.part(4, ADD_STEPS), prevEntry, Access.LINK, Access.WRITE);
        prevEntry.next = entry;
    }

    /** {@code list_del(entry)}: unlinks this entry and poisons it. One step. */
    public final void listDel(Cpu cpu, Site site) {
        cpu.step(site, this, Access.LINK, Access.WRITE);
        checkUse(cpu, site, "list_del");
        unlink(cpu, site);
        next = POISON1;
        prev = POISON2;
    }

    /** {@code list_del_init(entry)}: unlinks and re-initialises. One step. */
    public final void listDelInit(Cpu cpu, Site site) {
        cpu.step(site, this, Access.LINK, Access.WRITE);
        checkUse(cpu, site, "list_del_init");
        unlink(cpu, site);
        init();
    }

    private void unlink(Cpu cpu, Site site) {
        if (isPoisoned()) {
            corrupt(cpu, site, "list_del corruption: entry already deleted (poisoned)");
        }
        if (next == null || prev == null || next == this) {
            corrupt(cpu, site, "list_del corruption: entry is not on a list");
        }
        if (prev.next != this || next.prev != this) {
            corrupt(cpu, site, "list_del corruption: neighbours do not point back");
        }
        next.prev = prev;
        prev.next = next;
    }

    /** {@code list_move(entry, head)}: delete, then add after {@code head}. */
    public final void listMove(Cpu cpu, Site site, ListHead head) {
        listDel(cpu, site);
        head.listAdd(cpu, site, this);
    }

    /** {@code list_move_tail(entry, head)}. */
    public final void listMoveTail(Cpu cpu, Site site, ListHead head) {
        listDel(cpu, site);
        head.listAddTail(cpu, site, this);
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
