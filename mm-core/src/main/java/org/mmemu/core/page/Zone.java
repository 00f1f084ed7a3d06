package org.mmemu.core.page;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.mmemu.core.sync.SpinLock;

/**
 * {@code struct zone} (include/linux/mmzone.h, 2.5.31) as far as the allocator needs it: the
 * pages it spans, {@code zone->lock}, the free areas per order, {@code free_pages}, the
 * watermarks and {@code need_balance}. The LRU fields that patch 17 of akpm's series moved into
 * the zone ({@code active_list}, {@code inactive_list}, {@code lru_lock}, ...) belong to
 * mm-lru, which keeps them per zone beside this object.
 */
public final class Zone {
    /** {@code MAX_ORDER} of 2.5.31: blocks of 1 to 512 pages. */
    public static final int MAX_ORDER = 10;

    /** The field of {@code zone->free_pages}'s steps ({@code Access.member}). */
    public static final int FREE_PAGES = org.mmemu.core.emu.Access.member("zone->free_pages");
    /** The field of {@code zone->need_balance}'s steps. */
    public static final int NEED_BALANCE = org.mmemu.core.emu.Access.member("zone->need_balance");

    private final Node node;
    private final ZoneType type;
    /**
     * Pages per section of {@code mem_map}: 32 Ki, the 128 MiB of SPARSEMEM's sections on
     * x86-64. The page array is cut in sections so that no array is a humongous object to G1
     * (a humongous array takes whole heap regions: a 4 MiB {@code Page[]} took 8, 4 bytes more
     * per page); a section's 128 KiB array is under half of G1's smallest region.
     */
    static final int SECTION_SHIFT = 15;
    private static final int SECTION_MASK = (1 << SECTION_SHIFT) - 1;

    private final int startPfn;
    private final int size;
    /**
     * {@code mem_map}, in sections: page {@code i} of the zone is {@code sections[i >> 15][i & 0x7fff]}.
     * A page's object is made the first time anything looks at it ({@link #pageAt}): a page
     * nobody looked at is as boot left it (free, its count and flags zero), and the controlled
     * engine boots a machine for every schedule it explores, most of whose pages no CPU touches.
     */
    private final Page[][] sections;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Page[].class);
    /** The target of every step on a {@code page->list} of this zone ({@link FreeList}). */
    private final PageLink listTarget = new PageLink();
    private final boolean biasedCount;
    final SpinLock lock;
    final FreeArea[] freeArea = new FreeArea[MAX_ORDER];
    int freePages;
    private int pagesMin;
    private int pagesLow;
    private int pagesHigh;
    private volatile boolean needBalance;
    /**
     * Emulator shadow: per CPU (at most 64), PG_lru turned on minus turned off by its kernel code
     * on this zone's pages ({@link #lruFlagMoves}). Each CPU writes its own slot.
     */
    private final int[] lruFlagMoves = new int[64];

    Zone(Node node, ZoneType type, int startPfn, int size, boolean biasedCount) {
        this.node = node;
        this.type = type;
        this.startPfn = startPfn;
        this.biasedCount = biasedCount;
        this.lock = new SpinLock(type.label() + "->lock");
        this.size = size;
        this.sections = new Page[(size + SECTION_MASK) >> SECTION_SHIFT][];
        for (int sec = 0; sec < sections.length; sec++) {
            int base = sec << SECTION_SHIFT;
            sections[sec] = new Page[Math.min(SECTION_MASK + 1, size - base)];
        }
        for (int order = 0; order < MAX_ORDER; order++) {
            freeArea[order] = new FreeArea(size, order, listTarget);
        }
        setWatermarks(size);
    }

    /**
     * The watermarks of free_area_init_core() (2.5.31, docs/FIDELITY.md): {@code mask =
     * realsize / 128} clamped to [20, 255]; min, low and high are one, two and three masks.
     */
    private void setWatermarks(int realsize) {
        int mask = Math.max(20, Math.min(255, realsize / 128));
        pagesMin = mask;
        pagesLow = 2 * mask;
        pagesHigh = 3 * mask;
    }

    /** Overrides the watermarks: for small zones in tests and scenarios, where 20 pages is a lot. */
    public void overrideWatermarks(int min, int low, int high) {
        if (!(0 <= min && min <= low && low <= high)) {
            throw new IllegalArgumentException("watermarks must satisfy 0 <= min <= low <= high");
        }
        pagesMin = min;
        pagesLow = low;
        pagesHigh = high;
    }

    public Node node() {
        return node;
    }

    public ZoneType type() {
        return type;
    }

    /** {@code zone->name}. */
    public String name() {
        return type.label();
    }

    /** The index in {@code node_zones[]} (0 DMA, 1 Normal, 2 HighMem). */
    public int index() {
        return type.ordinal();
    }

    /** {@code zone->zone_start_pfn}. */
    public int startPfn() {
        return startPfn;
    }

    /** {@code zone->present_pages}. */
    public int size() {
        return size;
    }

    /** Whether a pfn lies in this zone. */
    public boolean contains(long pfn) {
        return pfn >= startPfn && pfn < startPfn + size;
    }

    /** The page at {@code pfn}, which must lie in this zone. */
    public Page page(long pfn) {
        return pageAt((int) (pfn - startPfn));
    }

    /** The {@code i}-th page of the zone. */
    public Page pageAt(int i) {
        // out of range fails as an array index would: the last section is cut to the zone's end
        Page[] section = sections[i >>> SECTION_SHIFT];
        Page p = (Page) SLOT.getAcquire(section, i & SECTION_MASK);
        return p != null ? p : materialize(section, i);
    }

    /**
     * The {@code i}-th page if anything has looked at it, else null: such a page is as boot left
     * it, free in the buddy allocator with no flags. For checks that walk every page.
     */
    public Page pageIfLookedAt(int i) {
        return (Page) SLOT.getAcquire(sections[i >>> SECTION_SHIFT], i & SECTION_MASK);
    }

    /** Makes page {@code i}'s object; CPUs of the free engine that race here all get the same one. */
    private Page materialize(Page[] section, int i) {
        Page fresh = new Page(this, startPfn + i);
        Page won = (Page) SLOT.compareAndExchangeRelease(section, i & SECTION_MASK, null, fresh);
        return won == null ? fresh : won;
    }

    /** {@code zone->lock}, which protects the free areas and {@code free_pages}. */
    public SpinLock lock() {
        return lock;
    }

    /** {@code zone->free_pages}, read without a step (the kernel reads it without the lock too). */
    public int freePages() {
        return freePages;
    }

    /** {@code zone->free_area[order]}. */
    public FreeArea freeArea(int order) {
        return freeArea[order];
    }

    public int pagesMin() {
        return pagesMin;
    }

    public int pagesLow() {
        return pagesLow;
    }

    public int pagesHigh() {
        return pagesHigh;
    }

    /** {@code zone->need_balance}: set by __alloc_pages when the zone runs low, for kswapd. */
    public boolean needBalance() {
        return needBalance;
    }

    public void setNeedBalance(boolean v) {
        needBalance = v;
    }

    /** A step of {@code cpu} turned PG_lru of a page of this zone on (+1) or off (-1). */
    void lruFlagMoved(org.mmemu.core.emu.Cpu cpu, int delta) {
        lruFlagMoves[cpu.id()] += delta;
    }

    /**
     * Emulator shadow, not kernel: how many times the kernel code of CPU {@code cpu} turned
     * PG_lru of this zone's pages on, less the times it turned it off. A page joins and leaves
     * the LRU lists with PG_lru, and the counters {@code nr_active + nr_inactive} move with it:
     * a CPU whose counter updates on this zone do not add up to this number is between a list
     * change and its counter update (mm-lru's accounting detector).
     */
    public int lruFlagMoves(int cpu) {
        return lruFlagMoves[cpu];
    }

    /** Whether page counts are biased by -1 on this machine (2.6.7-2.6.15). */
    public boolean biasedCount() {
        return biasedCount;
    }

    /** {@code /proc/buddyinfo}: the number of free blocks per order. */
    public String buddyinfo() {
        StringBuilder b = new StringBuilder(String.format("Node %d, zone %8s", node.id(), name()));
        for (FreeArea a : freeArea) {
            b.append(String.format(" %6d", a.nrFree));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return name();
    }
}
