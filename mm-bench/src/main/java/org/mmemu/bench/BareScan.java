package org.mmemu.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The baseline of the scan figure: what {@link ScanScale} makes the emulated kernel do to each
 * page, done on plain Java objects, with no steps, sites, detectors, engine or protocol object.
 *
 * <p>For each page, in the kernel's order: refill ({@code TestClearPageLRU}, {@code list_del},
 * {@code page_count}, {@code get_page}, {@code list_add} to {@code l_hold}; off the lock
 * {@code list_del}, {@code page_mapped}, {@code list_add} to {@code l_inactive}; under the lock
 * again {@code TestSetPageLRU}, {@code TestClearPageActive}, {@code list_move}; then the
 * pagevec's {@code put_page_testzero}); shrink ({@code TestClearPageLRU}, {@code list_del},
 * {@code page_count}, {@code list_add}, {@code get_page}; then shrink_list's {@code list_del},
 * {@code TestSetPageLocked}, the flag tests, {@code pte_chain_lock}, {@code TestClearPageReferenced},
 * {@code pte_chain_unlock}, the mapping's lock, the page-cache removal from the same kind of map
 * the emulated address space uses, {@code __put_page}, {@code unlock_page}, and the last
 * {@code put_page_testzero} that frees the page onto a free list). Counts and flags use the same
 * atomic instructions ({@link VarHandle} get-and-add, get-and-bitwise) as the emulated page;
 * locks are a compare-and-set spinlock like the emulated one. What the emulated side does
 * beyond this is the emulation: the steps and their gate, the detectors' checks, the sites, the
 * protocol's dispatch, the buddy allocator's merging.
 */
final class BareScan {
    private static final VarHandle COUNT;
    private static final VarHandle FLAGS;
    private static final int LRU = 1;
    private static final int ACTIVE = 2;
    private static final int LOCKED = 4;
    private static final int REFERENCED = 8;
    private static final int CHAINLOCK = 16;
    private static final int DIRTY = 32;
    private static final int WRITEBACK = 64;
    private static final int PRIVATE = 128;
    private static final int SWAPCACHE = 256;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(P.class, "count", int.class);
            FLAGS = l.findVarHandle(P.class, "flags", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A plain page: a count, flags, two list links, a mapping, an index. */
    static final class P {
        volatile int count;
        volatile int flags;
        P next = this;
        P prev = this;
        Object mapping;
        long index;
        int mapcount;
    }

    /** A compare-and-set spinlock. */
    static final class Lock {
        private final AtomicBoolean held = new AtomicBoolean();

        void lock() {
            while (!held.compareAndSet(false, true)) {
                Thread.onSpinWait();
            }
        }

        void unlock() {
            held.set(false);
        }
    }

    private final P active = new P();
    private final P inactive = new P();
    private final P freeList = new P();
    private final Lock lruLock = new Lock();
    private final Lock mappingLock = new Lock();
    private final Map<Long, P> pageCache = new HashMap<>();
    private int nrActive;
    private int nrInactive;
    private long sink;

    /** {@code pages} pages in the page cache, on the active list, count 1 (the cache's). */
    BareScan(int pages) {
        for (int i = 0; i < pages; i++) {
            P p = new P();
            p.count = 1;
            p.flags = LRU | ACTIVE;
            p.mapping = pageCache;
            p.index = i;
            pageCache.put((long) i, p);
            add(active, p);
            nrActive++;
        }
    }

    /** Refills in batches of 32 until at least {@code want} pages moved or the active list is empty; the pages moved. */
    long refill(long want) {
        long moved = 0;
        P hold = new P();
        P toInactive = new P();
        P[] pvec = new P[16];
        while (moved < want && active.next != active) {
            lruLock.lock();
            for (int n = 0; n < 32 && active.next != active; n++) {
                P p = active.prev;
                testClear(p, LRU);
                del(p);
                sink += p.count;
                COUNT.getAndAdd(p, 1);
                add(hold, p);
                nrActive--;
            }
            lruLock.unlock();
            while (hold.next != hold) {
                P p = hold.prev;
                del(p);
                sink += p.mapcount;
                add(toInactive, p);
            }
            int nr = 0;
            lruLock.lock();
            while (toInactive.next != toInactive) {
                P p = toInactive.prev;
                testSet(p, LRU);
                testClear(p, ACTIVE);
                del(p);
                add(inactive, p);
                nrInactive++;
                moved++;
                pvec[nr++] = p;
                if (nr == pvec.length) {
                    lruLock.unlock();
                    release(pvec, nr);
                    nr = 0;
                    lruLock.lock();
                }
            }
            lruLock.unlock();
            release(pvec, nr);
        }
        return moved;
    }

    /** Shrinks in batches of 32 until at least {@code want} pages scanned or the inactive list is empty (every page freed); the pages scanned. */
    long shrink(long want) {
        long scanned = 0;
        P pageList = new P();
        P[] pvec = new P[16];
        while (scanned < want && inactive.next != inactive) {
            lruLock.lock();
            for (int n = 0; n < 32 && inactive.next != inactive; n++) {
                P p = inactive.prev;
                testClear(p, LRU);
                del(p);
                sink += p.count;
                add(pageList, p);
                COUNT.getAndAdd(p, 1);
                nrInactive--;
                scanned++;
            }
            lruLock.unlock();
            int nr = 0;
            while (pageList.next != pageList) {
                P p = pageList.prev;
                del(p);
                testSet(p, LOCKED);
                sink += p.flags & (ACTIVE | SWAPCACHE | WRITEBACK);
                testSet(p, CHAINLOCK);
                testClear(p, REFERENCED);
                sink += p.mapcount;
                testClear(p, CHAINLOCK);
                Object mapping = p.mapping;
                sink += p.mapcount + (p.flags & (DIRTY | PRIVATE));
                mappingLock.lock();
                sink += p.count + (p.flags & (DIRTY | SWAPCACHE));
                if (mapping == pageCache) {
                    pageCache.remove(p.index);
                    p.mapping = null;
                }
                mappingLock.unlock();
                COUNT.getAndAdd(p, -1);
                testClear(p, LOCKED);
                pvec[nr++] = p;
                if (nr == pvec.length) {
                    release(pvec, nr);
                    nr = 0;
                }
            }
            release(pvec, nr);
        }
        return scanned;
    }

    /** The pagevec's {@code put_page_testzero} per page; a page whose count falls to zero is freed. */
    private void release(P[] pvec, int nr) {
        for (int i = 0; i < nr; i++) {
            P p = pvec[i];
            if ((int) COUNT.getAndAdd(p, -1) == 1) {
                add(freeList, p);
            }
        }
    }

    /** What the loops read, so that no load is dead code. */
    long sink() {
        return sink + nrActive + nrInactive + pageCache.size();
    }

    private static void testClear(P p, int bit) {
        FLAGS.getAndBitwiseAnd(p, ~bit);
    }

    private static void testSet(P p, int bit) {
        FLAGS.getAndBitwiseOr(p, bit);
    }

    private static void add(P head, P p) {
        P next = head.next;
        p.next = next;
        p.prev = head;
        next.prev = p;
        head.next = p;
    }

    private static void del(P p) {
        p.next.prev = p.prev;
        p.prev.next = p.next;
        p.next = null;
        p.prev = null;
    }
}
