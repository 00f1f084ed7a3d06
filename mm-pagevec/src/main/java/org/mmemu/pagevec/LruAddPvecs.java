package org.mmemu.pagevec;

import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;

/**
 * mm/swap.c: {@code static struct pagevec lru_add_pvecs[NR_CPUS]} and the deferred
 * {@code lru_cache_add()} / {@code lru_add_drain()} of 2.5.32 (F3, docs/FIDELITY.md): a new page
 * does not go on the LRU at once but into this CPU's pagevec, which holds a reference; the
 * vector goes onto the LRU when it fills, or when reclaim drains it first.
 *
 * <p>Per CPU through {@link Cpu#perCpu}, used between {@code get_cpu()} and {@code put_cpu()}
 * (preemption off), so only its own CPU touches it: adding to it is not a step.
 */
public final class LruAddPvecs {
    static final Site ADD_GET = Site.of("lru_cache_add", "page_cache_get(page)");

    /** The per-CPU variable's key. */
    private static final Object KEY = new Object();

    private LruAddPvecs() {
    }

    /** {@code lru_add_pvecs[cpu]}. */
    public static Pagevec of(Cpu cpu) {
        return cpu.perCpu(KEY, c -> new Pagevec());
    }

    /**
     * mm/swap.c: lru_cache_add() (2.5.32, deferred): {@code get_cpu()}, {@code page_cache_get}
     * (the vector's reference), {@code pagevec_add}; a full vector goes onto the LRU with
     * {@code __pagevec_lru_add}; {@code put_cpu()}.
     */
    public static void lruCacheAdd(Cpu cpu, Page page) {
        cpu.preemptDisable();
        try {
            Pagevec pvec = of(cpu);
            page.pageCacheGet(cpu, ADD_GET);
            if (pvec.pagevecAdd(page) == 0) {
                Pagevecs.__pagevecLruAdd(cpu, pvec);
            }
        } finally {
            cpu.preemptEnable();
        }
    }

    /** mm/swap.c: lru_add_drain() (2.5.32): this CPU's vector onto the LRU, if not empty. */
    public static void lruAddDrain(Cpu cpu) {
        cpu.preemptDisable();
        try {
            Pagevec pvec = of(cpu);
            if (pvec.pagevecCount() != 0) {
                Pagevecs.__pagevecLruAdd(cpu, pvec);
            }
        } finally {
            cpu.preemptEnable();
        }
    }
}
