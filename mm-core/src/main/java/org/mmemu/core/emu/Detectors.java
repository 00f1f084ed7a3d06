package org.mmemu.core.emu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * <p><b>Cost.</b> The shadow of the frames is a {@link FreePageMap}: about 2.3 bytes of the
 * ~62 a page costs.
 *
 * <p><b>Threads.</b> Under the free engine many CPUs report at once: the shadow bits are
 * atomic (see {@link FreePageMap}), the findings list is synchronised, and a finding that
 * stops the run sets a flag that the free engine's gate reads at every step.
 */
public final class Detectors {
    /** A check run at quiescent points (no CPU in the middle of kernel code): leaks, accounting. */
    @FunctionalInterface
    public interface QuiescentCheck {
        void check(Detectors detectors);
    }

    private final int nrPages;
    private final FreePageMap freePages;
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
        this.freePages = new FreePageMap(this, nrPages);
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
        return freePages.isFree(pfn);
    }

    /**
     * Whether {@code pfn} is a tail page of a block of order &gt; 0 in use: its count stays 0
     * (only the head page's counts, as in 2.5), and it is not a leak.
     */
    public boolean isTail(long pfn) {
        return freePages.isTail(pfn);
    }

    /** How many of the frames {@code from .. from+n-1} the allocator owns. */
    public int countFree(long from, int n) {
        return freePages.countFree(from, n);
    }

    /** Boot: the allocator starts owning these frames. No check. */
    public void bootFree(long pfn, int order) {
        freePages.bootFree(pfn, order);
    }

    /** The allocator handed out {@code 1 << order} frames from {@code pfn}. */
    public void onAlloc(Cpu cpu, long pfn, int order, Site site) {
        freePages.onAlloc(cpu, pfn, order, site);
    }

    /**
     * The allocator takes back {@code 1 << order} frames from {@code pfn}. A frame it already
     * owns is a double free: reported with both free sites and, when a get from zero came
     * before it, that get as the root cause.
     */
    public void onFree(Cpu cpu, long pfn, int order, Site site) {
        freePages.onFree(cpu, pfn, order, site);
    }

    /**
     * An operation of kernel code on a page: a use of a free page is reported once per page
     * and free (it is usually the prelude to the finding that matters).
     */
    public void checkInUse(Cpu cpu, long pfn, Site site, String what) {
        freePages.checkInUse(cpu, pfn, site, what);
    }

    /**
     * A plain get took the count from 0 to 1: a warning, and the root cause of a double free
     * that may follow. When the protocol survives it (2.5.31-mm1's recheck), it stays a warning.
     */
    public void getFromZero(Cpu cpu, long pfn, Site site) {
        freePages.rootCause(pfn, new Finding.Related(Finding.ROOT_CAUSE, cpu.id(), site));
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
