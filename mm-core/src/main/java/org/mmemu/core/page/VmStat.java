package org.mmemu.core.page;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The event counters of {@code /proc/vmstat} (the 2.5 {@code page_states}), under the names
 * users already read. Kept per machine; {@link LongAdder}s so that counting costs the free
 * engine no contention. Counting is bookkeeping, not kernel state another CPU reads, so it
 * takes no step.
 */
public final class VmStat {
    /** The counters, named as in {@code /proc/vmstat}. */
    public enum Item {
        pgalloc, pgfree, pgactivate, pgdeactivate, pgscan, pgsteal, pgrefill, pgrotated,
        allocstall, kswapd_wakeup, pageoutrun, oom_kill, pgpgout, slabs_scanned, lru_mopup
    }

    private final Map<Item, LongAdder> counters = new EnumMap<>(Item.class);

    public VmStat() {
        for (Item i : Item.values()) {
            counters.put(i, new LongAdder());
        }
    }

    /** {@code inc_page_state(item)}. */
    public void inc(Item item) {
        counters.get(item).increment();
    }

    /** {@code mod_page_state(item, delta)}. */
    public void add(Item item, long delta) {
        counters.get(item).add(delta);
    }

    public long get(Item item) {
        return counters.get(item).sum();
    }

    /** A snapshot of every counter, in {@code /proc/vmstat} order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (Item i : Item.values()) {
            m.put(i.name(), get(i));
        }
        return m;
    }
}
