package org.mmemu.core.page;

import static org.mmemu.core.page.PageFlags.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Lockable;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;

/**
 * {@code struct page} (include/linux/mm.h, 2.5.31) with the reference-count primitives of
 * mm.h and the atomic bitops of page-flags.h.
 *
 * <p>A page is its own {@code lru} entry: it extends {@link ListHead}, so {@code page->lru}
 * is the page and {@code list_entry(lru, struct page, lru)} is a cast. Its second link,
 * {@code page->list} (the buddy allocator's free lists), is two fields of the page as well,
 * worked by {@link FreeList}.
 *
 * <p><b>What a page costs.</b> A machine of 4 Mi pages (a 16 GiB server of 2002) must fit in a
 * small heap, so every field is counted. With compressed references (any heap under 32 GiB) an
 * emulated page is one object of 56 bytes, plus 4 for its slot in the zone's {@code mem_map},
 * about 2.3 for the detectors' shadow (see {@code Detectors}) and 0.1 for the buddy bitmaps:
 * 62.4 bytes measured, against the 40 of an i386 {@code struct page} of 2002 and the 64 of an
 * x86-64 one today.
 * <table>
 * <caption>fields and their bytes</caption>
 * <tr><th>field</th><th>kernel</th><th>bytes</th></tr>
 * <tr><td>object header</td><td>-</td><td>12 (8 with compact object headers, JDK 24+)</td></tr>
 * <tr><td>{@code next}, {@code prev} (inherited)</td><td>{@code page->lru}</td><td>4 + 4</td></tr>
 * <tr><td>{@link #lnext}, {@link #lprev}</td><td>{@code page->list}</td><td>4 + 4</td></tr>
 * <tr><td>{@code count}</td><td>{@code page->count} ({@code atomic_t})</td><td>4</td></tr>
 * <tr><td>{@code flags}</td><td>{@code page->flags} (32 bits as on i386)</td><td>4</td></tr>
 * <tr><td>{@code mapping}</td><td>{@code page->mapping}</td><td>4</td></tr>
 * <tr><td>{@code index}</td><td>{@code page->index} (32 bits as on i386)</td><td>4</td></tr>
 * <tr><td>{@code privateData}</td><td>{@code page->private} (32 bits as on i386)</td><td>4</td></tr>
 * <tr><td>{@code zone}</td><td>{@code page_zone()}, from {@code page->flags}' top bits</td><td>4</td></tr>
 * <tr><td>{@code pfn}</td><td>{@code page_to_pfn()}, from the page's place in {@code mem_map}</td><td>4</td></tr>
 * </table>
 * The last two the kernel derives rather than stores. A Java object knows neither its place in
 * an array nor, without a reference, its zone; and both fit the 56 bytes the object takes with
 * or without them once the header is 12 bytes (52 with compact headers rounds up to 56 too), so
 * they are stored: deriving them would save nothing and cost every {@code page_zone()} a lookup.
 * No per-page lock: {@code PG_locked} is a flag bit, as in the kernel.
 *
 * <p><b>Steps.</b> Every primitive that the kernel performs as one load, store, atomic or bitop
 * is one step with the caller's site, and is performed with the real atomic instruction
 * ({@link VarHandle}), so the same code is correct under the free engine. Each also tells the
 * detectors that kernel code touched the page, which is how a use of a free page is caught.
 *
 * <p><b>Counts.</b> The count is kept as the kernel's {@code atomic_t _count}. On a machine
 * with a biased count (2.6.7-2.6.15, the {@code testone} protocol) a free page
 * has {@code _count == -1} and {@link #pageCount} adds one; on the others the raw and the
 * logical counts are equal. The primitives are written against the logical count so that the
 * protocols read like the kernel of their own version.
 */
public final class Page extends ListHead implements Lockable {
    private static final VarHandle COUNT;
    private static final VarHandle FLAGS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(Page.class, "count", int.class);
            FLAGS = l.findVarHandle(Page.class, "flags", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int pfn;
    private final Zone zone;
    /** {@code page->list.next}: the buddy free-list link, worked only by {@link FreeList}. */
    Page lnext;
    /** {@code page->list.prev}. */
    Page lprev;
    private volatile int count;
    private volatile int flags;
    private Object mapping;
    /** {@code page->index}: a {@code pgoff_t}, 32 bits on i386; an int keeps the page small. */
    private int index;
    /** {@code page->private}: an {@code unsigned long}, 32 bits on i386. */
    private int privateData;

    Page(Zone zone, int pfn) {
        super();
        this.zone = zone;
        this.pfn = pfn;
        this.count = zone.biasedCount() ? -1 : 0;
        this.lnext = this;
        this.lprev = this;
    }

    /** A page that is no page frame: a free list's head or a poison value ({@link FreeList}). */
    Page() {
        this.zone = null;
        this.pfn = -1;
    }

    /** {@code page_to_pfn()}. */
    public int pfn() {
        return pfn;
    }

    /** {@code page_zone()}. */
    public Zone zone() {
        return zone;
    }

    private void touch(Cpu cpu, Site site, Access access, String what) {
        cpu.step(site, this, what.startsWith("page->mapping") ? Access.MAPPING : Access.COUNT, access);
        cpu.detectors().checkInUse(cpu, pfn, site, what);
    }

    /** {@link #touch} for a bitop: the macro's name is only spelled out for a report. */
    private void touchFlag(Cpu cpu, Site site, Access access, String macro, int bit) {
        cpu.step(site, this, Access.flag(bit), access);
        if (cpu.detectors().isFree(pfn)) {
            cpu.detectors().checkInUse(cpu, pfn, site, macro.replace("%", macroName(bit)));
        }
    }

    /** The flag as the page-flags.h macros spell it: {@code LRU}, {@code Active}, {@code Slab}. */
    private static String macroName(int bit) {
        String n = name(bit);
        return bit == PG_lru ? "LRU" : Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private int bias() {
        return zone.biasedCount() ? 1 : 0;
    }

    // ---- reference count --------------------------------------------------------------

    /** include/linux/mm.h: page_count() (2.5.31; +1 on a biased 2.6.7 count): {@code atomic_read}, one step. */
    public int pageCount(Cpu cpu, Site site) {
        touch(cpu, site, Access.READ, "page_count");
        return count + bias();
    }

    /** include/linux/mm.h: set_page_count() (2.5.31; v-1 on a biased 2.6.7 count): {@code atomic_set}, one step. */
    public void setPageCount(Cpu cpu, Site site, int v) {
        touch(cpu, site, Access.WRITE, "set_page_count");
        count = v - bias();
    }

    /**
     * include/linux/mm.h: get_page() (2.5.31), also {@code page_cache_get()}: {@code atomic_inc}, one step.
     * A plain get that takes the count from 0 to 1 is the seed mail's "we die" moment; the
     * detectors keep it as a warning and as the root cause of a double free that follows.
     */
    public void getPage(Cpu cpu, Site site) {
        touch(cpu, site, Access.WRITE, "get_page");
        int old = (int) COUNT.getAndAdd(this, 1) + bias();
        if (old == 0) {
            cpu.detectors().getFromZero(cpu, pfn, site);
        }
    }

    /** include/linux/pagemap.h: page_cache_get() (2.5.31): the same as {@link #getPage}. */
    public void pageCacheGet(Cpu cpu, Site site) {
        getPage(cpu, site);
    }

    /**
     * include/linux/mm.h: put_page_testzero() (2.5.31; 2.6.7 biased): 2.5: {@code atomic_dec_and_test}, one step; true when
     * the count reached zero. On a biased machine (2.6.7, F7) it is
     * {@code BUG_ON(page_count(page) == 0)} (a load, one step) then
     * {@code atomic_add_negative(-1, &page->_count)} (one step).
     */
    public boolean putPageTestzero(Cpu cpu, Site site) {
        if (zone.biasedCount()) {
            if (pageCount(cpu, site) == 0) {
                throw cpu.detectors().kernelBug(cpu, pfn, site, "put_page_testzero on a page with count 0");
            }
            return atomicAddNegative(cpu, site, -1);
        }
        touch(cpu, site, Access.WRITE, "put_page_testzero");
        return (int) COUNT.getAndAdd(this, -1) - 1 == 0;
    }

    /** include/linux/mm.h: __put_page() (2.5.32, docs/FIDELITY.md): {@code atomic_dec}, one step. */
    public void putPageNoTest(Cpu cpu, Site site) {
        touch(cpu, site, Access.WRITE, "__put_page");
        COUNT.getAndAdd(this, -1);
    }

    /**
     * {@code atomic_add_negative(i, &page->_count)} on the raw count, one step: true when the
     * raw result is negative (on a biased machine, when the logical count reached zero).
     */
    public boolean atomicAddNegative(Cpu cpu, Site site, int delta) {
        touch(cpu, site, Access.WRITE, "atomic_add_negative");
        return (int) COUNT.getAndAdd(this, delta) + delta < 0;
    }

    /**
     * include/linux/mm.h: get_page_testone() (2.6.7-2.6.15, F7): {@code atomic_inc_and_test} on the
     * biased count, one step; true iff the logical count went from 0 to 1, that is, the page
     * is being freed elsewhere. Only meaningful on a biased machine.
     */
    public boolean getPageTestone(Cpu cpu, Site site) {
        touch(cpu, site, Access.WRITE, "get_page_testone");
        return (int) COUNT.getAndAdd(this, 1) + 1 + bias() == 1;
    }

    /**
     * include/linux/mm.h: get_page_unless_zero() (2.6.16, NP): {@code atomic_add_unless(&_count, 1, -1)}
     * on a biased machine, {@code atomic_inc_not_zero} on an unbiased one. i386 does it as a
     * loop of a load and a {@code cmpxchg}: one step each. False if the count was zero.
     */
    public boolean getPageUnlessZero(Cpu cpu, Site site) {
        for (;;) {
            touch(cpu, site, Access.READ, "get_page_unless_zero");
            int c = count;
            if (c + bias() == 0) {
                return false;
            }
            touch(cpu, site, Access.WRITE, "get_page_unless_zero");
            if (COUNT.compareAndSet(this, c, c + 1)) {
                return true;
            }
        }
    }

    /**
     * {@code atomic_dec_and_lock}'s fast path helper: {@code cmpxchg(&_count, old, new)}, one
     * step; true if it succeeded. {@code old} and {@code nw} are logical counts.
     */
    public boolean cmpxchgCount(Cpu cpu, Site site, int old, int nw) {
        touch(cpu, site, Access.WRITE, "cmpxchg");
        return COUNT.compareAndSet(this, old - bias(), nw - bias());
    }

    // ---- flags ----------------------------------------------------------------------

    /** {@code test_bit(bit, &page->flags)}: a load, one step. */
    public boolean testFlag(Cpu cpu, Site site, int bit) {
        touchFlag(cpu, site, Access.READ, "Page%", bit);
        return (flags & (1 << bit)) != 0;
    }

    /** {@code set_bit(bit, &page->flags)}: {@code lock bts}, one step. */
    public void setFlag(Cpu cpu, Site site, int bit) {
        touchFlag(cpu, site, Access.WRITE, "SetPage%", bit);
        moved(cpu, (int) FLAGS.getAndBitwiseOr(this, 1 << bit), bit, true);
    }

    /** {@code clear_bit(bit, &page->flags)}: {@code lock btr}, one step. */
    public void clearFlag(Cpu cpu, Site site, int bit) {
        touchFlag(cpu, site, Access.WRITE, "ClearPage%", bit);
        moved(cpu, (int) FLAGS.getAndBitwiseAnd(this, ~(1 << bit)), bit, false);
    }

    /** {@code test_and_set_bit(bit, &page->flags)}: one step; the old value. */
    public boolean testSetFlag(Cpu cpu, Site site, int bit) {
        touchFlag(cpu, site, Access.WRITE, "TestSetPage%", bit);
        return moved(cpu, (int) FLAGS.getAndBitwiseOr(this, 1 << bit), bit, true);
    }

    /** {@code test_and_clear_bit(bit, &page->flags)}: one step; the old value. */
    public boolean testClearFlag(Cpu cpu, Site site, int bit) {
        touchFlag(cpu, site, Access.WRITE, "TestClearPage%", bit);
        return moved(cpu, (int) FLAGS.getAndBitwiseAnd(this, ~(1 << bit)), bit, false);
    }

    /**
     * {@code page->flags} as one load of the whole word, one step: the first half of a plain
     * read-modify-write such as {@code page->flags &= ~(1 << PG_dirty)} (a {@code mov}, an
     * {@code and}, a {@code mov}: a bitop of another CPU between the load and the store is lost).
     */
    public int flagsWord(Cpu cpu, Site site) {
        cpu.step(site, this, Access.FLAGS, Access.READ);
        cpu.detectors().checkInUse(cpu, pfn, site, "page->flags");
        return flags;
    }

    /** {@code page->flags = v}: a plain store of the whole word, one step (the second half of the above). */
    public void setFlagsWord(Cpu cpu, Site site, int v) {
        cpu.step(site, this, Access.FLAGS, Access.WRITE);
        cpu.detectors().checkInUse(cpu, pfn, site, "page->flags =");
        int old = (int) FLAGS.getAndSet(this, v);
        moved(cpu, old, PG_lru, (v & (1 << PG_lru)) != 0);
    }

    /**
     * Tells the zone when kernel code turned PG_lru on or off (emulator shadow, for the LRU
     * counters' accounting detector: {@link Zone#lruFlagMoves}); returns whether {@code bit}
     * was set in {@code old}.
     */
    private boolean moved(Cpu cpu, int old, int bit, boolean on) {
        boolean was = (old & (1 << bit)) != 0;
        if (bit == PG_lru && was != on) {
            zone.lruFlagMoved(cpu, on ? 1 : -1);
        }
        return was;
    }

    /** {@code PageLRU(page)}. */
    public boolean pageLru(Cpu cpu, Site site) {
        return testFlag(cpu, site, PG_lru);
    }

    /** {@code TestSetPageLRU(page)}. */
    public boolean testSetPageLru(Cpu cpu, Site site) {
        return testSetFlag(cpu, site, PG_lru);
    }

    /** {@code TestClearPageLRU(page)}. */
    public boolean testClearPageLru(Cpu cpu, Site site) {
        return testClearFlag(cpu, site, PG_lru);
    }

    /** {@code SetPageLRU(page)}. */
    public void setPageLru(Cpu cpu, Site site) {
        setFlag(cpu, site, PG_lru);
    }

    /** {@code ClearPageLRU(page)}. */
    public void clearPageLru(Cpu cpu, Site site) {
        clearFlag(cpu, site, PG_lru);
    }

    /** {@code PageActive(page)}. */
    public boolean pageActive(Cpu cpu, Site site) {
        return testFlag(cpu, site, PG_active);
    }

    /** {@code SetPageActive(page)}. */
    public void setPageActive(Cpu cpu, Site site) {
        setFlag(cpu, site, PG_active);
    }

    /** {@code ClearPageActive(page)}. */
    public void clearPageActive(Cpu cpu, Site site) {
        clearFlag(cpu, site, PG_active);
    }

    /** {@code TestClearPageActive(page)}. */
    public boolean testClearPageActive(Cpu cpu, Site site) {
        return testClearFlag(cpu, site, PG_active);
    }

    /** {@code PageReferenced(page)}. */
    public boolean pageReferenced(Cpu cpu, Site site) {
        return testFlag(cpu, site, PG_referenced);
    }

    /** {@code SetPageReferenced(page)}. */
    public void setPageReferenced(Cpu cpu, Site site) {
        setFlag(cpu, site, PG_referenced);
    }

    /** {@code ClearPageReferenced(page)}. */
    public void clearPageReferenced(Cpu cpu, Site site) {
        clearFlag(cpu, site, PG_referenced);
    }

    /** {@code PageReserved(page)}. */
    public boolean pageReserved(Cpu cpu, Site site) {
        return testFlag(cpu, site, PG_reserved);
    }

    /**
     * {@code TestSetPageLocked(page)} — include/linux/page-flags.h (2.5.31-2.6.7): the page
     * lock's trylock, one {@code test_and_set_bit}. A success records this CPU as the lock's
     * holder (shadow state, {@code PageLockOwners}).
     */
    public boolean testSetPageLocked(Cpu cpu, Site site) {
        boolean was = testSetFlag(cpu, site, PG_locked);
        if (!was) {
            cpu.detectors().pageLocks().taken(cpu, pfn, site);
        }
        return was;
    }

    /**
     * {@code lock_page()} — mm/filemap.c (2.5.31-2.5.33; include/linux/pagemap.h over
     * mm/filemap.c {@code __lock_page()} in 2.6.0-2.6.7): {@code if (TestSetPageLocked(page))
     * __lock_page(page)}, where {@code __lock_page()} sleeps on the page's wait queue until
     * {@code unlock_page()} wakes it and its {@code TestSetPageLocked()} succeeds.
     * <p>One {@link Access#LOCK} step on the PG_locked bit: while the bit is set the engines see a
     * CPU that cannot go on, as on a held spinlock, and when every CPU waits the run ends in a
     * deadlock finding. Chosen over a loop of {@code TestSetPageLocked} steps because the task
     * sleeps: its retries are not instructions the kernel runs between the holder's steps, and as
     * steps they would give the search unboundedly many schedules that differ only in how often
     * the waiter looked, and the livelock detector a loop to report. The wait queue itself is
     * not emulated (nor {@code sync_page()}). Under the free engine a waiter spins.
     */
    public void lockPage(Cpu cpu, Site site) {
        for (;;) {
            touchFlag(cpu, site, Access.LOCK, "lock_page", PG_locked);
            if (((int) FLAGS.getAndBitwiseOr(this, 1 << PG_locked) & (1 << PG_locked)) == 0) {
                cpu.detectors().pageLocks().taken(cpu, pfn, site);
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * {@code wait_on_page_locked()} — include/linux/pagemap.h (2.5.31-2.6.7): sleeps until
     * PG_locked is clear, taking nothing. One {@link Access#LOCK} step on the bit that the engines
     * let through only while the page is unlocked (as {@link #lockPage}); the bit is not set.
     */
    public void waitOnPageLocked(Cpu cpu, Site site) {
        for (;;) {
            touchFlag(cpu, site, Access.LOCK, "wait_on_page_locked", PG_locked);
            if ((flags & (1 << PG_locked)) == 0) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * {@code unlock_page()} — mm/filemap.c (2.5.31-2.6.7): {@code if (!TestClearPageLocked(page))
     * BUG();} then the wake-up of the wait queue's sleepers. One {@link Access#UNLOCK} step on the
     * PG_locked bit; the wake-up is the engines' (a waiter's {@link #lockPage} step becomes
     * enabled), and 2.5.31's {@code smp_mb__*} barriers are no steps (every step is ordered here).
     * An unlock of a page that is not locked is the kernel's BUG().
     */
    public void unlockPage(Cpu cpu, Site site) {
        touchFlag(cpu, site, Access.UNLOCK, "unlock_page", PG_locked);
        boolean was = ((int) FLAGS.getAndBitwiseAnd(this, ~(1 << PG_locked)) & (1 << PG_locked)) != 0;
        cpu.detectors().pageLocks().released(pfn);
        if (!was) {
            throw cpu.detectors().kernelBug(cpu, pfn, site, "unlock_page() of a page that is not locked"
                    + " (if (!TestClearPageLocked(page)) BUG())");
        }
    }

    /** {@code PageLocked(page)} without a step: whether {@code lock_page()} would wait (for the engines). */
    @Override
    public boolean isLocked() {
        return (flags & (1 << PG_locked)) != 0;
    }

    @Override
    public String lockName() {
        return "PG_locked of page pfn " + pfn;
    }

    /** {@code PageDirty(page)}. */
    public boolean pageDirty(Cpu cpu, Site site) {
        return testFlag(cpu, site, PG_dirty);
    }

    /** {@code PagePrivate(page)}. */
    public boolean pagePrivate(Cpu cpu, Site site) {
        return testFlag(cpu, site, PG_private);
    }

    /** {@code PageWriteback(page)}. */
    public boolean pageWriteback(Cpu cpu, Site site) {
        return testFlag(cpu, site, PG_writeback);
    }

    /** {@code PageSlab(page)}. */
    public boolean pageSlab(Cpu cpu, Site site) {
        return testFlag(cpu, site, PG_slab);
    }

    // ---- other fields ---------------------------------------------------------------

    /** {@code page->mapping}: a load, one step. The value is an address space of mm-reclaim. */
    public Object mapping(Cpu cpu, Site site) {
        touch(cpu, site, Access.READ, "page->mapping");
        return mapping;
    }

    /** {@code page->mapping = m}: a store, one step. */
    public void setMapping(Cpu cpu, Site site, Object m) {
        touch(cpu, site, Access.WRITE, "page->mapping =");
        mapping = m;
    }

    /**
     * {@code page->index}: the offset in the mapping. Not a step: set with the mapping under its
     * lock. Stored in 32 bits as on i386 ({@code pgoff_t} is an {@code unsigned long}).
     */
    public long index() {
        return Integer.toUnsignedLong(index);
    }

    /** Sets {@code page->index}; it must fit the 32 bits of an i386 {@code pgoff_t}. */
    public void setIndex(long index) {
        this.index = toU32(index, "page->index");
    }

    /** {@code page->private}: buffer heads or a swap entry. Not a step (used under PG_locked). */
    public long privateData() {
        return Integer.toUnsignedLong(privateData);
    }

    /** Sets {@code page->private}; it must fit the 32 bits of an i386 {@code unsigned long}. */
    public void setPrivateData(long v) {
        privateData = toU32(v, "page->private");
    }

    private static int toU32(long v, String what) {
        if (v < 0 || v > 0xffff_ffffL) {
            throw new IllegalArgumentException(what + " must fit in 32 bits (i386), not " + v);
        }
        return (int) v;
    }

    // ---- quiet accessors, for the emulator, the allocator and setup ------------------

    /** The logical count, read without a step. */
    public int count() {
        return count + bias();
    }

    /** The raw {@code _count}, read without a step. */
    public int rawCount() {
        return count;
    }

    /** Sets the logical count without a step: for setup and the allocator. */
    public void setCountQuietly(int v) {
        count = v - bias();
    }

    /** The flags word, read without a step. */
    public int flags() {
        return flags;
    }

    /** Whether {@code bit} is set, read without a step. */
    public boolean hasFlag(int bit) {
        return (flags & (1 << bit)) != 0;
    }

    /** Sets or clears {@code bit} without a step: for setup and the allocator. */
    public void setFlagQuietly(int bit, boolean on) {
        if (on) {
            FLAGS.getAndBitwiseOr(this, 1 << bit);
        } else {
            FLAGS.getAndBitwiseAnd(this, ~(1 << bit));
        }
    }

    /** {@code page->mapping}, read without a step. */
    public Object mappingQuietly() {
        return mapping;
    }

    /** Sets {@code page->mapping} without a step: for setup. */
    public void setMappingQuietly(Object m) {
        mapping = m;
    }

    /** {@code PageMapped}: the {@link PageFlags#PTE_MAPPED} shim, a load, one step. */
    public boolean pageMapped(Cpu cpu, Site site) {
        return testFlag(cpu, site, PTE_MAPPED);
    }

    /** The pfn, so that a corrupt {@code page->lru} names its page. */
    @Override
    protected long ownerPfn() {
        return pfn;
    }

    /** The pfn: linking or unlinking {@code page->lru} is a use of the page. */
    @Override
    protected long usePfn() {
        return pfn;
    }

    @Override
    public String toString() {
        if (zone == null) {
            return "list head";
        }
        return "page " + pfn + " (" + zone.name() + ", count " + count() + ", " + describe(flags) + ")";
    }
}
