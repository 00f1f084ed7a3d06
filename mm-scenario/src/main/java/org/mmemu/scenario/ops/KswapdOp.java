package org.mmemu.scenario.ops;

import org.mmemu.reclaim.Reclaim;

/**
 * {@code kswapd()} — mm/vmscan.c, 2.5.31 ({@code Kswapd.kswapd}): the thread's main loop run on this
 * CPU for at most {@code rounds} iterations (a sleep or a balance each). Form: {@code kswapd: {rounds: 4}}.
 */
public final class KswapdOp implements OperationType {
    @Override
    public String name() {
        return "kswapd";
    }

    @Override
    public String source() {
        return "mm/vmscan.c";
    }

    @Override
    public String summary() {
        return "kswapd's loop on this CPU: sleep or kswapd_balance, the given number of rounds";
    }

    @Override
    public Operation bind(Args args) {
        int rounds = args.integer("rounds", 0, 1, 1, 1 << 20);
        args.done();
        return (world, cpu) -> Reclaim.of(world.machine()).kswapd().kswapd(cpu, rounds);
    }
}
