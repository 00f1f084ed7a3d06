package org.mmemu.core.emu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The detectors' map of free page frames: which frames the buddy allocator owns, which are tail
 * pages of a block in use, each frame's last free, and what a frame's time in the allocator
 * decides (a use of it reported once per free, a get from zero kept as the root cause of a double
 * free). Its checks (double free, a handout of a frame not owned, use-after-free) report through
 * the {@link Detectors} that owns it.
 *
 * <p>Apart from {@link Detectors} because it is the one part of them that grows with the machine
 * and is written on every allocation and free; the rest is the recording of findings.
 *
 * <p><b>Cost.</b> Per frame: two shadow bits (free, tail of a block in use) and the last free
 * in 16 bits (which of the machine's free sites, and the CPU); about 2.3 bytes of the ~62 a
 * page costs. The free sites are few (the callers of {@code __free_pages_ok()}), so each is
 * kept once in a small table and a frame holds its index. The 16-bit words are cut in chunks
 * of 32 Ki frames, so that no array is humongous to G1 (see {@code Zone}).
 *
 * <p><b>Threads.</b> The bits are atomic (a word at a time, by compare-and-set), the two sets
 * are concurrent, and the table of free sites grows under this map's lock.
 */
final class FreePageMap {
    private static final int CHUNK = 1 << 15;
    /** Sites a machine can tell apart in {@link #lastFree}: 10 bits. */
    private static final int MAX_FREE_SITES = (1 << 10) - 1;

    private final Detectors detectors;
    private final AtomicLongArray freeMap;
    /** One bit per frame: a tail page of a block of order > 0 that the allocator handed out. */
    private final AtomicLongArray tailMap;
    /**
     * Each frame's last free: {@code (site index + 1) << 6 | cpu} (a machine has at most 64
     * CPUs), 0 if never freed by kernel code; in chunks of {@link #CHUNK} frames.
     */
    private final char[][] lastFree;
    /** The sites that have freed pages, indexed by {@link #lastFree}; grows under its own lock. */
    private volatile Site[] freeSites = new Site[0];
    private final Map<Long, Finding.Related> fromZero = new ConcurrentHashMap<>();
    private final Set<Long> useAfterFreeSeen = ConcurrentHashMap.newKeySet();

    /** The map of frames {@code 0 .. nrPages-1}, all in use, reporting through {@code detectors}. */
    FreePageMap(Detectors detectors, int nrPages) {
        this.detectors = detectors;
        this.freeMap = new AtomicLongArray((nrPages + 63) / 64);
        this.tailMap = new AtomicLongArray((nrPages + 63) / 64);
        this.lastFree = new char[(nrPages + CHUNK - 1) / CHUNK][];
        for (int c = 0; c < lastFree.length; c++) {
            lastFree[c] = new char[Math.min(CHUNK, nrPages - c * CHUNK)];
        }
    }

    boolean isFree(long pfn) {
        return (freeMap.get((int) (pfn >>> 6)) & (1L << pfn)) != 0;
    }

    boolean isTail(long pfn) {
        return (tailMap.get((int) (pfn >>> 6)) & (1L << pfn)) != 0;
    }

    int countFree(long from, int n) {
        int c = 0;
        for (long p = from; p < from + n; p++) {
            if (isFree(p)) {
                c++;
            }
        }
        return c;
    }

    private boolean setFree(long pfn, boolean free) {
        return setBit(freeMap, pfn, free);
    }

    private static boolean setBit(AtomicLongArray map, long pfn, boolean on) {
        long bit = 1L << pfn;
        return (setBits(map, (int) (pfn >>> 6), bit, on) & bit) != 0;
    }

    /** Sets or clears the bits {@code mask} of word {@code w}; returns the word before. */
    private static long setBits(AtomicLongArray map, int w, long mask, boolean on) {
        for (;;) {
            long old = map.get(w);
            long nw = on ? old | mask : old & ~mask;
            if (old == nw || map.compareAndSet(w, old, nw)) {
                return old;
            }
        }
    }

    /**
     * A word of the map at a time (blocks of 64 frames and more are whole words): a scenario's
     * machine boots per schedule.
     */
    void bootFree(long pfn, int order) {
        long end = pfn + (1L << order);
        for (long p = pfn; p < end; ) {
            int w = (int) (p >>> 6);
            long stop = Math.min(end, ((long) w + 1) << 6);
            int n = (int) (stop - p);
            setBits(freeMap, w, (n == 64 ? -1L : ((1L << n) - 1)) << p, true);
            p = stop;
        }
    }

    void onAlloc(Cpu cpu, long pfn, int order, Site site) {
        long notOwned = -1;
        for (long p = pfn; p < pfn + (1L << order); p++) {
            if (!setFree(p, false) && notOwned < 0) {
                notOwned = p;
            }
            setBit(tailMap, p, p != pfn);
            // Both sets are almost always empty: look before boxing the pfn.
            if (!useAfterFreeSeen.isEmpty()) {
                useAfterFreeSeen.remove(p);
            }
            if (!fromZero.isEmpty()) {
                fromZero.remove(p);
            }
        }
        if (notOwned >= 0) {
            // One finding per allocation: the free lists are corrupt, most likely by a double free.
            detectors.report(new Finding(FindingKind.ACCOUNTING, notOwned, cpu.id(), site,
                    "allocator handed out a page it did not own (free lists corrupt)",
                    List.of(), detectors.recentOf(cpu.id()), ""));
        }
    }

    void onFree(Cpu cpu, long pfn, int order, Site site) {
        int siteIndex = freeSiteIndex(site);
        char code = siteIndex == 0 ? 0 : (char) (siteIndex << 6 | cpu.id());
        Finding twice = null;
        int again = 0;
        for (long p = pfn; p < pfn + (1L << order); p++) {
            int i = (int) p;
            setBit(tailMap, p, false);
            if (setFree(p, true)) {
                again++;
                if (twice == null) {
                    List<Finding.Related> rel = new ArrayList<>();
                    int last = lastFree(i);
                    if (last != 0) {
                        rel.add(new Finding.Related("first free", lastFreeCpu(last), lastFreeSite(last)));
                    }
                    Finding.Related cause = fromZero.get(p);
                    if (cause != null) {
                        rel.add(new Finding.Related(Finding.ROOT_CAUSE, cause.cpu(), cause.site()));
                    }
                    twice = new Finding(FindingKind.DOUBLE_FREE, p, cpu.id(), site, "page freed twice", rel,
                            detectors.recentOf(cpu.id(), lastFreeCpu(last)), "");
                }
            }
            lastFree[i >>> 15][i & (CHUNK - 1)] = code;
        }
        if (twice != null) {
            // One finding per free, however many frames of the block were free already.
            detectors.report(again == 1 ? twice : new Finding(twice.kind(), twice.pfn(), twice.cpu(), twice.site(),
                    "block of order " + order + " freed twice (" + again + " of its pages were free)",
                    twice.related(), twice.recent(), ""));
        }
    }

    /** Keeps {@code cause}, a get from zero, as the root cause of a double free of {@code pfn}. */
    void rootCause(long pfn, Finding.Related cause) {
        fromZero.put(pfn, cause);
    }

    void checkInUse(Cpu cpu, long pfn, Site site, String what) {
        if (isFree(pfn) && useAfterFreeSeen.add(pfn)) {
            int last = lastFree((int) pfn);
            List<Finding.Related> rel = last == 0 ? List.of()
                    : List.of(new Finding.Related("freed", lastFreeCpu(last), lastFreeSite(last)));
            detectors.report(new Finding(FindingKind.USE_AFTER_FREE, pfn, cpu.id(), site,
                    what + " on a page the allocator owns", rel, detectors.recentOf(cpu.id()), ""));
        }
    }

    private int lastFree(int pfn) {
        return lastFree[pfn >>> 15][pfn & (CHUNK - 1)];
    }

    private static int lastFreeCpu(int code) {
        return code & 63;
    }

    private Site lastFreeSite(int code) {
        int k = (code >>> 6) - 1;
        Site[] sites = freeSites;
        return k >= 0 && k < sites.length ? sites[k] : null;
    }

    /** The index + 1 of {@code site} in the table of free sites, adding it; 0 once the table is full. */
    private int freeSiteIndex(Site site) {
        Site[] sites = freeSites;
        for (int k = 0; k < sites.length; k++) {
            if (sites[k] == site) {
                return k + 1;
            }
        }
        synchronized (this) {
            sites = freeSites;
            for (int k = 0; k < sites.length; k++) {
                if (sites[k].equals(site)) {
                    return k + 1;
                }
            }
            if (sites.length == MAX_FREE_SITES) {
                return 0; // a report will lack this free's site, never its finding
            }
            Site[] more = java.util.Arrays.copyOf(sites, sites.length + 1);
            more[sites.length] = site;
            freeSites = more;
            return more.length;
        }
    }
}
