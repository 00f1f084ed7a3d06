package org.mmemu.core.emu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The emulator's bug detectors: shadow state the emulated kernel never had, in the manner of
 * KASAN and lockdep (docs/ARCHITECTURE.md §4). The kernel's own checks ({@code BUG()} in
 * {@code __free_pages_ok()}, {@code DEBUG_LRU_PAGE}) report through {@link #kernelBug}; the
 * shadow checks report through the other methods, so a reader can always tell the two apart.
 *
 * <p><b>Shadow state.</b> One bit per page frame says whether the buddy allocator owns it,
 * with the site and CPU of the last free. A second free of a free page is a double free (the
 * kernel's checks all pass in that case, docs/FIDELITY.md, which is why the race was so quiet).
 * Each plain get that takes a count from 0 to 1 is kept as a warning and becomes the named root
 * cause of a double free that follows on the same page.
 *
 * <p><b>What each check sees.</b> Use-after-free: a count, flag, mapping or {@code page->lru}
 * list operation on a frame the allocator owns (once per page and free). Bad page: a free of a
 * page with PG_lru, a nonzero count or a linked {@code page->lru} ({@link #checkFreeable}).
 * List corruption and lock misuse are reported by {@code ListHead} and {@code SpinLock}
 * through {@link #fatal}. Leaks and accounting run at quiescent points, registered by
 * {@code Machine} (mm-core's {@code Accounting}) and by other modules. Deadlock is reported by
 * the engines, which alone know who waits for whom.
 *
 * <p><b>Cost.</b> Per frame: two shadow bits (free, tail of a block in use) and the last free
 * in 16 bits (which of the machine's free sites, and the CPU); about 2.3 bytes of the ~62 a
 * page costs. The free sites are few (the callers of {@code __free_pages_ok()}), so each is
 * kept once in a small table and a frame holds its index. The 16-bit words are cut in chunks
 * of 32 Ki frames, so that no array is humongous to G1 (see {@code Zone}).
 *
 * <p><b>Threads.</b> Under the free engine many CPUs report at once: the shadow bits are
 * atomic, the findings list is synchronised, and a finding that stops the run sets a flag that
 * the free engine's gate reads at every step.
 */
public final class Detectors {
    /** A check run at quiescent points (no CPU in the middle of kernel code): leaks, accounting. */
    @FunctionalInterface
    public interface QuiescentCheck {
        void check(Detectors detectors);
    }

    private static final int CHUNK = 1 << 15;
    /** Sites a machine can tell apart in {@link #lastFree}: 10 bits. */
    private static final int MAX_FREE_SITES = (1 << 10) - 1;

    private final int nrPages;
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
    private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
    private final List<Finding> warnings = Collections.synchronizedList(new ArrayList<>());
    private final List<QuiescentCheck> checks = new ArrayList<>();
    private final List<Cpu> cpus = new ArrayList<>();
    private final PageLockOwners pageLocks = new PageLockOwners();
    private final Set<FindingKind> stopKinds;
    private volatile Finding stopFinding;
    private volatile Runnable stopListener;
    /** While quiescent checks run: their findings, one per kind and page. */
    private Map<Object, Finding> quiescent;
    /** Whether the engine runs one CPU at a time ({@link #serial()}). */
    private volatile boolean serial;

    /** Detectors for page frames {@code 0 .. nrPages-1}, stopping on the default kinds. */
    public Detectors(int nrPages) {
        this(nrPages, defaultStopKinds());
    }

    public Detectors(int nrPages, Set<FindingKind> stopKinds) {
        this.nrPages = nrPages;
        this.freeMap = new AtomicLongArray((nrPages + 63) / 64);
        this.tailMap = new AtomicLongArray((nrPages + 63) / 64);
        this.lastFree = new char[(nrPages + CHUNK - 1) / CHUNK][];
        for (int c = 0; c < lastFree.length; c++) {
            lastFree[c] = new char[Math.min(CHUNK, nrPages - c * CHUNK)];
        }
        this.stopKinds = stopKinds.isEmpty() ? EnumSet.noneOf(FindingKind.class) : EnumSet.copyOf(stopKinds);
    }

    /** The kinds that end a run unless configured otherwise. */
    public static Set<FindingKind> defaultStopKinds() {
        EnumSet<FindingKind> s = EnumSet.noneOf(FindingKind.class);
        for (FindingKind k : FindingKind.values()) {
            if (k.stopsRunByDefault()) {
                s.add(k);
            }
        }
        return s;
    }

    /** Makes {@code cpu}'s recent steps available to findings. Called once per CPU at boot. */
    public void register(Cpu cpu) {
        cpus.add(cpu);
    }

    /**
     * Whether the engine runs one CPU at a time (the controlled and timed engines): then a
     * check may read state that other CPUs write at any step, such as a counter against its
     * list whenever its lock is released (mm-lru's accounting detector). Under the free engine,
     * where CPUs are threads, such checks would read half-made updates, and do not run.
     */
    public boolean serial() {
        return serial;
    }

    /** Set by an engine that runs one CPU at a time, at boot ({@link #serial()}). */
    public void setSerial(boolean serial) {
        this.serial = serial;
    }

    /** Adds a check to run at quiescent points; modules add theirs when they attach. */
    public void addQuiescentCheck(QuiescentCheck check) {
        checks.add(check);
    }

    // ---- allocator shadow ---------------------------------------------------------------

    /** Whether the allocator owns page frame {@code pfn}. */
    public boolean isFree(long pfn) {
        return (freeMap.get((int) (pfn >>> 6)) & (1L << pfn)) != 0;
    }

    /**
     * Whether {@code pfn} is a tail page of a block of order &gt; 0 in use: its count stays 0
     * (only the head page's counts, as in 2.5), and it is not a leak.
     */
    public boolean isTail(long pfn) {
        return (tailMap.get((int) (pfn >>> 6)) & (1L << pfn)) != 0;
    }

    /** How many of the frames {@code from .. from+n-1} the allocator owns. */
    public int countFree(long from, int n) {
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
     * Boot: the allocator starts owning these frames. No check. A word of the map at a time
     * (blocks of 64 frames and more are whole words): a scenario's machine boots per schedule.
     */
    public void bootFree(long pfn, int order) {
        long end = pfn + (1L << order);
        for (long p = pfn; p < end; ) {
            int w = (int) (p >>> 6);
            long stop = Math.min(end, ((long) w + 1) << 6);
            int n = (int) (stop - p);
            setBits(freeMap, w, (n == 64 ? -1L : ((1L << n) - 1)) << p, true);
            p = stop;
        }
    }

    /** The allocator handed out {@code 1 << order} frames from {@code pfn}. */
    public void onAlloc(Cpu cpu, long pfn, int order, Site site) {
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
            report(new Finding(FindingKind.ACCOUNTING, notOwned, cpu.id(), site,
                    "allocator handed out a page it did not own (free lists corrupt)",
                    List.of(), recentOf(cpu.id()), ""));
        }
    }

    /**
     * The allocator takes back {@code 1 << order} frames from {@code pfn}. A frame it already
     * owns is a double free: reported with both free sites and, when a get from zero came
     * before it, that get as the root cause.
     */
    public void onFree(Cpu cpu, long pfn, int order, Site site) {
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
                            recentOf(cpu.id(), lastFreeCpu(last)), "");
                }
            }
            lastFree[i >>> 15][i & (CHUNK - 1)] = code;
        }
        if (twice != null) {
            // One finding per free, however many frames of the block were free already.
            report(again == 1 ? twice : new Finding(twice.kind(), twice.pfn(), twice.cpu(), twice.site(),
                    "block of order " + order + " freed twice (" + again + " of its pages were free)",
                    twice.related(), twice.recent(), ""));
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

    /**
     * An operation of kernel code on a page: a use of a free page is reported once per page
     * and free (it is usually the prelude to the finding that matters).
     */
    public void checkInUse(Cpu cpu, long pfn, Site site, String what) {
        if (isFree(pfn) && useAfterFreeSeen.add(pfn)) {
            int last = lastFree((int) pfn);
            List<Finding.Related> rel = last == 0 ? List.of()
                    : List.of(new Finding.Related("freed", lastFreeCpu(last), lastFreeSite(last)));
            report(new Finding(FindingKind.USE_AFTER_FREE, pfn, cpu.id(), site,
                    what + " on a page the allocator owns", rel, recentOf(cpu.id()), ""));
        }
    }

    /**
     * A plain get took the count from 0 to 1: a warning, and the root cause of a double free
     * that may follow. When the protocol survives it (2.5.31-mm1's recheck), it stays a warning.
     */
    public void getFromZero(Cpu cpu, long pfn, Site site) {
        fromZero.put(pfn, new Finding.Related(Finding.ROOT_CAUSE, cpu.id(), site));
        warnings.add(new Finding(FindingKind.REFCOUNT_FROM_ZERO, pfn, cpu.id(), site,
                "get_page() took the count from 0 to 1 (the seed mail's \"we die\")",
                List.of(), recentOf(cpu.id()), ""));
    }

    /**
     * The shadow check of a page about to be freed (docs/ARCHITECTURE.md §4): PG_lru still set, a nonzero
     * count, or {@code page->lru} still linked on a list. The kernel's own {@code BUG()}s in
     * {@code __free_pages_ok()} catch the first two before this runs (unless the machine was
     * built without them); the third only the shadow sees. One bad-page finding lists every
     * reason.
     */
    public void checkFreeable(Cpu cpu, long pfn, Site site, boolean lru, int count, boolean linked) {
        List<String> why = new ArrayList<>();
        if (lru) {
            why.add("PG_lru set");
        }
        if (count != 0) {
            why.add("count " + count);
        }
        if (linked) {
            why.add("page->lru still linked on a list");
        }
        if (!why.isEmpty()) {
            report(new Finding(FindingKind.BAD_PAGE, pfn, cpu.id(), site,
                    "freeing a page still in use: " + String.join(", ", why), List.of(), recentOf(cpu.id()), ""));
        }
    }

    // ---- locks --------------------------------------------------------------------------

    /** Who holds each page lock (shadow state: the kernel's PG_locked has no owner). */
    public PageLockOwners pageLocks() {
        return pageLocks;
    }

    /**
     * A page about to be freed with {@code PG_locked} set: a {@code lock-leak}, with the site
     * that took the lock when a CPU of the run did. Reported before the kernel's own check
     * (2.5's BUG_ON, 2.6's {@code bad_page()}), which still runs.
     */
    public void freedLocked(Cpu cpu, long pfn, Site site) {
        PageLockOwners.Hold h = pageLocks.holder(pfn);
        List<Finding.Related> rel = h == null ? List.of() : List.of(new Finding.Related("locked", h.cpu(), h.site()));
        pageLocks.released(pfn);
        report(new Finding(FindingKind.LOCK_LEAK, pfn, cpu.id(), site, "page freed with PG_locked set"
                + (h == null ? "" : " (locked by cpu" + h.cpu() + ", never unlocked)"), rel,
                h == null ? recentOf(cpu.id()) : recentOf(cpu.id(), h.cpu()), ""));
    }

    /**
     * {@code cpu}'s program, or the handler running on it, ended holding {@code lock}: a
     * {@code lock-leak} at the site that took it ({@code pfn} the page of a page lock, else -1).
     */
    public void heldAtEnd(Cpu cpu, long pfn, String lock, Site takenAt) {
        String who = cpu.inInterrupt() ? "the handler" : "the program";
        report(new Finding(FindingKind.LOCK_LEAK, pfn, cpu.id(), takenAt, who + " ended holding " + lock,
                List.of(), recentOf(cpu.id()), ""));
    }

    // ---- other reports ------------------------------------------------------------------

    /** A {@code BUG()} of the emulated kernel: always ends the code running on that CPU. */
    public KernelBug kernelBug(Cpu cpu, long pfn, Site site, String message) {
        Finding f = record(new Finding(FindingKind.KERNEL_BUG, pfn, cpu.id(), site,
                "kernel BUG: " + message, List.of(), recentOf(cpu.id()), ""));
        throw new KernelBug(f);
    }

    /**
     * 2.6's {@code bad_page()} (mm/page_alloc.c, 2.6.0-2.6.7): the kernel prints, fixes the page
     * up and carries on, so this records a {@code bad-page} finding and returns: the CPU's code
     * goes on to the end of the free, as the kernel's did. Whether the run then goes on is the
     * stop kinds' choice, as for any finding (it ends at the next step when bad-page is one).
     */
    public void badPage(Cpu cpu, long pfn, Site site, String message) {
        record(new Finding(FindingKind.BAD_PAGE, pfn, cpu.id(), site, message, List.of(), recentOf(cpu.id()), ""));
    }

    /** Reports {@code kind} and ends the code running on {@code cpu}, whatever the stop kinds. */
    public RunAborted fatal(FindingKind kind, Cpu cpu, long pfn, Site site, String message) {
        Finding f = record(new Finding(kind, pfn, cpu.id(), site, message, List.of(), recentOf(cpu.id()), ""));
        stop(f);
        throw new RunAborted(f);
    }

    /**
     * Records a warning: something that may go wrong in another run (a lock order that can
     * deadlock), which neither stops this run nor counts as its finding.
     */
    public void warn(FindingKind kind, Cpu cpu, long pfn, Site site, String message) {
        warnings.add(inContext(new Finding(kind, pfn, cpu.id(), site, message, List.of(), recentOf(cpu.id()), "")));
    }

    /** Reports {@code kind} on {@code cpu} at {@code site}. */
    public void report(FindingKind kind, Cpu cpu, long pfn, Site site, String message) {
        report(new Finding(kind, pfn, cpu == null ? -1 : cpu.id(), site, message, List.of(),
                cpu == null ? Map.of() : recentOf(cpu.id()), ""));
    }

    /** Records {@code f}; throws {@link RunAborted} if its kind stops the run. */
    public void report(Finding f) {
        Finding r = record(f);
        if (stopKinds.contains(r.kind())) {
            throw new RunAborted(r);
        }
    }

    private Finding record(Finding f) {
        f = inContext(f);
        Map<Object, Finding> q = quiescent;
        if (q != null) {
            // Several modules' checks may see the same page (core: "count 0, not free"; mm-lru:
            // "zero-ref page on the inactive list"). One finding per kind and page per
            // quiescent point; the later check, registered by the higher module, knows more.
            q.put(f.pfn() < 0 ? new Object() : List.of(f.kind(), f.pfn()), f);
            return f;
        }
        findings.add(f);
        if (stopKinds.contains(f.kind()) || f.kind() == FindingKind.KERNEL_BUG) {
            stop(f);
        }
        return f;
    }

    /**
     * {@code f} naming the context of its CPU when that CPU runs an interrupt handler
     * ({@code ... (cpu0 in irq0 handler)}), so that a finding in a handler says so.
     */
    private Finding inContext(Finding f) {
        if (f.cpu() < 0) {
            return f;
        }
        for (int i = 0; i < cpus.size(); i++) { // indexed: the free engine's CPUs register at boot only
            Cpu c = cpus.get(i);
            if (c.id() == f.cpu() && c.inInterrupt() && !f.message().endsWith("(" + c.context() + ")")) {
                return new Finding(f.kind(), f.pfn(), f.cpu(), f.site(), f.message() + " (" + c.context() + ")",
                        f.related(), f.recent(), f.schedule());
            }
        }
        return f;
    }

    /**
     * Records a finding of a quiescent check: never throws, since no CPU is there to unwind,
     * but still stops the run when its kind is a stop kind.
     */
    public void recordQuiescent(Finding f) {
        record(f);
    }

    /** Runs the quiescent checks (leaks, accounting). Their findings never throw. */
    public void checkQuiescent() {
        quiescent = new java.util.LinkedHashMap<>();
        try {
            for (QuiescentCheck c : checks) {
                try {
                    c.check(this);
                } catch (RunAborted stop) {
                    // recorded already; a quiescent point has no CPU to unwind
                }
            }
        } finally {
            Map<Object, Finding> q = quiescent;
            quiescent = null;
            q.values().forEach(this::record);
        }
    }

    /** The recent steps of the given CPUs, for a finding. */
    public Map<Integer, List<Site>> recentOf(int... ids) {
        Map<Integer, List<Site>> m = new HashMap<>();
        for (int id : ids) {
            for (Cpu c : cpus) {
                if (c.id() == id) {
                    m.put(id, c.recent().snapshot());
                }
            }
        }
        return m;
    }

    /** Records {@code f} as what stopped the run, unless something did already, and tells the listener. */
    private void stop(Finding f) {
        if (stopFinding == null) {
            stopFinding = f;
            Runnable l = stopListener;
            if (l != null) {
                l.run();
            }
        }
    }

    /**
     * Sets what runs when a finding first stops the run: how the free engine learns it without
     * asking at every step (its step hook then reads one flag of its own).
     */
    public void onStop(Runnable listener) {
        stopListener = listener;
        if (stopFinding != null) {
            listener.run();
        }
    }

    /** The first finding that stopped the run, or null. */
    public Finding stopFinding() {
        return stopFinding;
    }

    /** Whether a finding has stopped the run. */
    public boolean stopped() {
        return stopFinding != null;
    }

    /** Every finding so far, in order. */
    public List<Finding> findings() {
        synchronized (findings) {
            return List.copyOf(findings);
        }
    }

    /** Warnings: events that are not findings by themselves (refcount-from-zero). */
    public List<Finding> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    public int nrPages() {
        return nrPages;
    }
}
