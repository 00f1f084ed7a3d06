package org.mmemu.slab.shrink;

import java.util.function.ToLongFunction;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.VmStat;
import org.mmemu.core.page.Zone;
import org.mmemu.core.sync.SpinLock;

/**
 * The shrinker interface of mm/vmscan.c as akpm posted it against 2.5.41 on 9 Oct 2002, after Ed
 * Tomlinson's slablru work (SHR, &lt;3DA524B4.230C2011@digeo.com&gt;; docs/FIDELITY.md):
 * {@code shrinker_list} under {@code shrinker_sem}, {@code set_shrinker()},
 * {@code remove_shrinker()} and {@code shrink_slab()}. One per machine ({@link #of}).
 *
 * <p><b>The arithmetic.</b> Each call of {@code shrink_slab(scanned)} gives every shrinker a
 * scan credit in proportion to the page scanning that reclaim just did:
 * {@code nr += scanned * seeks * entries / (used_pages + 1)}, where {@code entries} is what the
 * shrinker says it could free. So a cache is scanned at the rate the LRU is, relative to its
 * size, weighted by how dear its objects are to recreate. Once the credit exceeds
 * {@code SHRINK_BATCH} (32) the shrinker is called with all of it and the credit is reset.
 *
 * <p>{@code nr_used_zone_pages()} (Σ {@code nr_active + nr_inactive} over the zones) belongs to
 * mm-lru: it is used whenever the machine has an LRU; on a machine without one, a stand-in
 * counts every page that is not free ({@link #setUsedPages} overrides both). {@code delta} is an {@code unsigned long} (32 bits on i386) in the kernel; here it
 * is a Java {@code long}, which only differs past 2^32, far beyond any emulated machine.
 * {@code shrinker_sem} is a semaphore; here a {@link SpinLock}, as nothing emulated sleeps.
 */
public final class ShrinkerList {
    /** {@code SHRINK_BATCH}. */
    public static final int SHRINK_BATCH = 32;

    private static final Site SET_ADD = Site.of("set_shrinker", "list_add(&shrinker->list, &shrinker_list)");
    private static final Site REMOVE_DEL = Site.of("remove_shrinker", "list_del(&shrinker->list)");
    private static final Site WALK = Site.of("shrink_slab", "list_for_each(lh, &shrinker_list)");
    private static final Site NR_ADD = Site.of("shrink_slab", "shrinker->nr += delta / (pages + 1)");
    private static final Site NR_TEST = Site.of("shrink_slab", "if (shrinker->nr > SHRINK_BATCH)");
    private static final Site NR_RESET = Site.of("shrink_slab", "shrinker->nr = 0");

    private final Machine machine;
    private final ListHead shrinkerList = new ListHead();
    private final SpinLock shrinkerSem = new SpinLock("shrinker_sem");
    private volatile ToLongFunction<Machine> usedPages = ShrinkerList::defaultUsedPages;

    private ShrinkerList(Machine machine) {
        this.machine = machine;
    }

    /** The machine's shrinker list, created on first use. */
    public static ShrinkerList of(Machine machine) {
        return machine.extension(ShrinkerList.class, ShrinkerList::new);
    }

    /** Installs {@code nr_used_zone_pages()} (mm-lru's Σ nr_active + nr_inactive). */
    public void setUsedPages(ToLongFunction<Machine> f) {
        usedPages = f;
    }

    /**
     * {@code nr_used_zone_pages()} when the machine has an LRU (mm-lru installed), else the
     * stand-in {@link #notFreePages}.
     */
    static long defaultUsedPages(Machine m) {
        return m.extensionOrNull(org.mmemu.lru.Lru.class) != null ? org.mmemu.slab.LruSlabPages.nrUsedZonePages(m)
                : notFreePages(m);
    }

    /** The stand-in for {@code nr_used_zone_pages()}: present pages that are not free. */
    static long notFreePages(Machine m) {
        long n = 0;
        for (Zone z : m.node().zones()) {
            n += z.size() - z.freePages();
        }
        return n;
    }

    /** {@code shrinker_sem}. */
    public SpinLock shrinkerSem() {
        return shrinkerSem;
    }

    /**
     * {@code set_shrinker(seeks, theshrinker)} — mm/vmscan.c, 2.5.42: a new shrinker with no
     * credit, added at the head of {@code shrinker_list} under {@code shrinker_sem}.
     */
    public Shrinker setShrinker(Cpu cpu, int seeks, ShrinkerFn fn) {
        Shrinker s = new Shrinker(fn, seeks); // kmalloc(sizeof(*shrinker), GFP_KERNEL)
        shrinkerSem.spinLock(cpu);
        shrinkerList.listAdd(cpu, SET_ADD, s);
        shrinkerSem.spinUnlock(cpu);
        return s;
    }

    /** {@code remove_shrinker(shrinker)} — mm/vmscan.c, 2.5.42. */
    public void removeShrinker(Cpu cpu, Shrinker s) {
        shrinkerSem.spinLock(cpu);
        s.listDel(cpu, REMOVE_DEL);
        shrinkerSem.spinUnlock(cpu);
    }

    /**
     * {@code shrink_slab(scanned, gfp_mask)} — mm/vmscan.c, 2.5.42 (SHR; docs/FIDELITY.md): if
     * {@code shrinker_sem} is free, for each shrinker ask how many objects it has
     * ({@code fn(0)}), add {@code scanned * seeks * entries / (pages + 1)} to its credit, and once
     * the credit exceeds {@code SHRINK_BATCH} call it with the whole credit and reset it.
     * Returns 0, as the kernel's does. Counts the objects handed to shrinkers in
     * {@code slabs_scanned} (the 2.6 /proc/vmstat name).
     */
    public int shrinkSlab(Cpu cpu, long scanned, int gfpMask) {
        if (!shrinkerSem.spinTrylock(cpu)) {
            return 0;
        }
        long pages = usedPages.applyAsLong(machine);
        cpu.step(WALK, shrinkerList, Access.READ);
        for (ListHead lh = shrinkerList.next(); lh != shrinkerList; lh = lh.next()) {
            Shrinker shrinker = (Shrinker) lh;
            int entries = shrinker.shrinker.shrink(cpu, 0, gfpMask);
            if (entries != 0) {
                long delta = scanned * shrinker.seeks * entries;
                cpu.step(NR_ADD, shrinker, Access.WRITE);
                shrinker.nr += delta / (pages + 1);
                cpu.step(NR_TEST, shrinker, Access.READ);
                if (shrinker.nr > SHRINK_BATCH) {
                    long nr = shrinker.nr;
                    cpu.step(NR_RESET, shrinker, Access.WRITE);
                    shrinker.nr = 0;
                    machine.pageAlloc().vmstat().add(VmStat.Item.slabs_scanned, nr);
                    shrinker.shrinker.shrink(cpu, (int) Math.min(nr, Integer.MAX_VALUE), gfpMask);
                }
            }
            cpu.step(WALK, lh, Access.READ);
        }
        shrinkerSem.spinUnlock(cpu);
        return 0;
    }
}
