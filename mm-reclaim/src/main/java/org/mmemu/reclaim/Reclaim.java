package org.mmemu.reclaim;

import org.mmemu.core.KernelProfile;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Detectors;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.ReclaimHooks;
import org.mmemu.core.page.Zone;
import org.mmemu.lru.Lru;

/**
 * A machine's page reclaim (mm/vmscan.c, 2.5.31-mm1): the reclaim mirrors ({@link Vmscan},
 * {@link Kswapd}, {@link OutOfMemory}), the shims they need (rmap, writeback, buffers, swap),
 * and the hooks {@code __alloc_pages()} calls: {@code wakeup_kswapd()} and direct reclaim
 * through {@code try_to_free_pages()}. Kept as a {@link Machine#extension}; {@link #install}
 * fills the machine's {@link ReclaimHooks}.
 *
 * <p>It also adds a leak check (docs/ARCHITECTURE.md §4) for pages off the LRU: at a quiescent point, a page
 * with count 0 that is neither free nor on an LRU list is leaked for good (Ehrhardt's reply to
 * the count-one proposal); mm-lru's own check reports zero-ref pages on the LRU.
 */
public final class Reclaim implements ReclaimHooks {
    private static final Site LEAK = Site.of("quiescent", "page_count(page) == 0 && !free");

    private final Machine machine;
    private final ReclaimConfig config;
    private final Lru lru;
    private final LruOps lruOps;
    private final Rmap rmap;
    private final Writeback writeback;
    private final Buffers buffers = new Buffers();
    private final SwapState swap;
    private final Vmscan vmscan;
    private final Kswapd kswapd;
    private final OutOfMemory oom;
    private final boolean mopUp;

    /**
     * Composes the parts, each handed what it uses (no part looks up this object): the LRU
     * entry points, rmap, writeback and swap state, then the scans over them and kswapd over the
     * scans. Rmap and swap state need each other (swap entries on unmap; swapper_space's pages
     * unmapped on truncation), so rmap learns the swap state once it exists.
     */
    private volatile boolean pageLists;

    private Reclaim(Machine machine, ReclaimConfig config) {
        this.machine = machine;
        this.config = config;
        this.lru = Lru.of(machine);
        this.lruOps = new LruOps();
        this.rmap = new Rmap(machine, lruOps);
        this.writeback = new Writeback(machine, config.writebackPasses());
        this.swap = new SwapState(config.swapSlots(), lruOps, writeback, rmap, buffers);
        rmap.attach(swap);
        this.oom = new OutOfMemory(machine, swap);
        this.mopUp = config.mopUp() != null ? config.mopUp() : lru.protocol().leavesZeroCountPages();
        // mm/vmscan.c in its parts, each built on the ones below it (Vmscan's class comment)
        ShrinkList shrinkList = new ShrinkList(machine, lru.profile().reclaim(), lruOps, writeback, swap, rmap,
                buffers);
        ScanSupport scanSupport = new ScanSupport(machine, lru);
        ShrinkCacheScan shrinkCache = new ShrinkCacheScan(machine, config, lru, lruOps, mopUp, writeback, scanSupport,
                shrinkList);
        RefillInactiveZone refill = new RefillInactiveZone(machine, lru, lruOps, mopUp, swap, rmap, scanSupport);
        PriorityLoop priorityLoop = new PriorityLoop(machine, config, lru, oom, shrinkCache, refill);
        this.vmscan = new Vmscan(lru.profile().reclaim(), shrinkList, shrinkCache, refill, priorityLoop);
        this.kswapd = new Kswapd(machine, vmscan);
    }

    /**
     * Installs reclaim on {@code machine}, whose LRU must be installed: fills its reclaim hooks
     * and adds the leak check. Call once, at boot, before any CPU runs.
     */
    public static Reclaim install(Machine machine, ReclaimConfig config) {
        boolean[] created = {false};
        Reclaim r = machine.extension(Reclaim.class, m -> {
            created[0] = true;
            return new Reclaim(m, config);
        });
        if (!created[0]) {
            throw new IllegalStateException("reclaim is already installed on this machine");
        }
        machine.setReclaimHooks(r);
        machine.detectors().addQuiescentCheck(r::checkLeaks);
        return r;
    }

    /** The machine's reclaim; {@link #install} must have been called. */
    public static Reclaim of(Machine machine) {
        Reclaim r = machine.extensionOrNull(Reclaim.class);
        if (r == null) {
            throw new IllegalStateException("no reclaim installed on this machine (Reclaim.install)");
        }
        return r;
    }

    @Override
    public void wakeupKswapd(Cpu cpu, Zone classzone) {
        kswapd.wakeupKswapd(cpu, classzone);
    }

    @Override
    public int tryToFreePages(Cpu cpu, Zone classzone, int gfpMask, int order) {
        return vmscan.tryToFreePages(cpu, classzone, gfpMask, order);
    }

    /** Leaks at a quiescent point: pages off the LRU with count 0 that the allocator does not own. */
    void checkLeaks(Detectors d) {
        for (Zone z : machine.node().zones()) {
            for (int i = 0; i < z.size(); i++) {
                Page p = z.pageIfLookedAt(i);
                if (p != null && p.count() == 0 && !d.isFree(p.pfn()) && !p.hasFlag(org.mmemu.core.page.PageFlags.PG_lru)) {
                    d.report(FindingKind.LEAK, null, p.pfn(), LEAK, "page with count 0 that is neither free nor on the LRU");
                }
            }
        }
    }

    public Machine machine() {
        return machine;
    }

    public ReclaimConfig config() {
        return config;
    }

    public Vmscan vmscan() {
        return vmscan;
    }

    public Kswapd kswapd() {
        return kswapd;
    }

    public OutOfMemory oom() {
        return oom;
    }

    public Rmap rmap() {
        return rmap;
    }

    public Writeback writeback() {
        return writeback;
    }

    public Buffers buffers() {
        return buffers;
    }

    public SwapState swap() {
        return swap;
    }

    LruOps lruOps() {
        return lruOps;
    }

    /** The kernel the machine's protocol runs as: how the scan loops end, among others. */
    public KernelProfile profile() {
        return lru.profile();
    }

    /** A new file's mapping ({@code struct address_space}) in this machine's page cache. */
    public AddressSpace fileMapping(String name) {
        return new AddressSpace(lruOps, writeback, rmap, buffers, name, false, pageLists ? new PageLists() : null);
    }

    /**
     * Whether the file mappings made from now on keep their {@code clean_pages}/{@code dirty_pages}
     * lists ({@link PageLists}; {@code machine: page-lists}). Set at boot, before any mapping is made.
     */
    public void setPageLists(boolean on) {
        pageLists = on;
    }

    /** The page cache reads and writes of mm/filemap.c on this machine. */
    public Filemap filemap() {
        return new Filemap(machine, lruOps);
    }

    /** An empty anonymous region of {@code pages} ptes, called {@code name}. */
    public AnonRegion anonRegion(String name, int pages) {
        return new AnonRegion(machine, lruOps, rmap, swap, name, pages);
    }

    /** Whether the scans mop up zero-ref pages (see {@link ReclaimConfig#mopUp()}). */
    public boolean mopUp() {
        return mopUp;
    }

    /** The slab reaper shrink_zone() calls first; {@link SlabReclaim#NONE} until mm-slab is wired. */
    public SlabReclaim slabReclaim() {
        return vmscan.slabReclaim();
    }

    public void setSlabReclaim(SlabReclaim s) {
        vmscan.setSlabReclaim(s);
    }
}
