package org.mmemu.scenario;

import java.util.Set;
import org.mmemu.core.page.ZoneType;

/**
 * The initial state of one named page of a scenario ({@code pages: P: {...}}), checked for
 * consistency when the file is read: no PG_lru without a list, no PG_active off the active list,
 * no page cache or mapped page without a reference.
 *
 * @param name     the name programs use
 * @param zone     the zone it comes from
 * @param count    its reference count
 * @param lru      the LRU list it is on
 * @param mapping  the name of its address space, or null ({@code mapping: none})
 * @param flags    PG_ bits set at the start besides those implied by {@code lru} and {@code dirty}
 *                 and {@code private}
 * @param privateData {@code page->private}; nonzero means PG_private is set (buffers attached)
 * @param dirty    PG_dirty
 * @param mapped   mapped by user page tables ({@code page_mapped()}): a stand-in for the rmap
 *                 pte chains, which mmemu does not emulate
 * @param where    {@code file:line:column} of its entry
 */
public record PageSpec(String name, ZoneType zone, int count, LruList lru, String mapping, Set<Integer> flags,
                       long privateData, boolean dirty, boolean mapped, String where) {
    public PageSpec {
        flags = Set.copyOf(flags);
    }
}
