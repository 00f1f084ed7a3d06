package org.mmemu.core.page;

import org.mmemu.core.emu.Cpu;

/**
 * What {@code __alloc_pages()} calls when memory runs low: waking kswapd and direct reclaim.
 * mm-core knows only this interface; mm-reclaim fills it. With {@link #NONE} an exhausted zone
 * fails the allocation cleanly.
 */
public interface ReclaimHooks {
    /** {@code wakeup_kswapd()}: called after {@code need_balance} was set on the zones. */
    void wakeupKswapd(Cpu cpu, Zone classzone);

    /**
     * {@code try_to_free_pages()} (reached through {@code balance_classzone()} in 2.5.31):
     * direct reclaim by the allocating context. Returns the number of pages freed.
     */
    int tryToFreePages(Cpu cpu, Zone classzone, int gfpMask, int order);

    /** No reclaim: nothing wakes, nothing is freed. */
    ReclaimHooks NONE = new ReclaimHooks() {
        @Override
        public void wakeupKswapd(Cpu cpu, Zone classzone) {
        }

        @Override
        public int tryToFreePages(Cpu cpu, Zone classzone, int gfpMask, int order) {
            return 0;
        }
    };
}
