package org.mmemu.slab;

import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;

/**
 * {@code cpucache_t} of mm/slab.c (2.4.18-2.5.31, CONFIG_SMP): one CPU's array of free objects
 * of one cache, {@code avail} of them below {@code limit}, so that most allocations and frees
 * take neither the cache's spinlock nor touch a slab. {@code kmem_cache_alloc_batch()} refills
 * it {@code batchcount} objects at a time; a free into a full array gives {@code batchcount}
 * back to their slabs ({@code free_block()}).
 *
 * <p><b>Concurrency.</b> In the kernel only the owning CPU touches its array, with interrupts
 * off, and another CPU reaches it only through an IPI ({@code smp_call_function_all_cpus()} in
 * {@code drain_cpu_caches()}), which the owner runs with interrupts on, hence never in the middle
 * of an access. The emulator cannot run code on another CPU's thread, so it gives each access
 * to the array one step (a {@link Access#WRITE} on the array) and makes that step atomic with
 * respect to every other access: the drain "IPI" then falls between two of the owner's accesses
 * exactly as the real one does. (The step is taken before the monitor, never inside it, so a
 * controlled engine holding a CPU at the step never blocks another in Java.) Departure, said once here: the kernel's pop is two instructions
 * on CPU-local memory ({@code cc->avail} test, then {@code cc_entry(cc)[--cc->avail]}); here it is
 * one step, because nothing else can fall between them on the real machine either.
 */
public final class CpuCache {
    private final int cpu;
    private final Object[] entries;
    private int avail;
    private final int limit;

    CpuCache(int cpu, int limit) {
        this.cpu = cpu;
        this.limit = limit;
        this.entries = new Object[limit];
    }

    /** The CPU this array belongs to. */
    public int cpu() {
        return cpu;
    }

    /** {@code cc->limit}. */
    public int limit() {
        return limit;
    }

    /** {@code cc->avail}, read without a step: for checks and displays. */
    public synchronized int availQuietly() {
        return avail;
    }

    /** {@code if (cc->avail) objp = cc_entry(cc)[--cc->avail];}: one step; null when empty. */
    Object pop(Cpu c, Site site) {
        c.step(site, this, Access.WRITE);
        synchronized (this) {
            if (avail == 0) {
                return null;
            }
            Object o = entries[--avail];
            entries[avail] = null;
            return o;
        }
    }

    /** {@code if (cc->avail < cc->limit) cc_entry(cc)[cc->avail++] = objp;}: one step; false when full. */
    boolean push(Cpu c, Site site, Object o) {
        c.step(site, this, Access.WRITE);
        synchronized (this) {
            if (avail >= limit) {
                return false;
            }
            entries[avail++] = o;
            return true;
        }
    }

    /**
     * {@code cc->avail -= batchcount;} and the address {@code &cc_entry(cc)[cc->avail]} handed to
     * {@code free_block()}: one step; the (at most {@code n}) entries taken off the top.
     */
    Object[] takeTop(Cpu c, Site site, int n) {
        c.step(site, this, Access.WRITE);
        synchronized (this) {
            int k = Math.min(n, avail);
            Object[] out = new Object[k];
            for (int i = 0; i < k; i++) {
                out[i] = entries[avail - k + i];
                entries[avail - k + i] = null;
            }
            avail -= k;
            return out;
        }
    }

    /** Every entry, leaving the array empty: one step (the IPI's swap, or {@code cc->avail = 0}). */
    Object[] takeAll(Cpu c, Site site) {
        return takeTop(c, site, Integer.MAX_VALUE);
    }

    @Override
    public synchronized String toString() {
        return "cpucache(cpu" + cpu + ", " + avail + "/" + limit + ")";
    }
}
