package org.mmemu.engine;

import org.mmemu.core.emu.Access;

/**
 * What a step costs the timed engine, in cycles, by kind. The defaults are rough figures for
 * the SMP x86 machines of 2002 (a Pentium III/4 class part): an L1 hit is a few cycles, a
 * {@code lock}-prefixed read-modify-write some tens, and moving a cache line from another CPU's
 * cache about a hundred. They are meant to be overridden; what the engine estimates is only as
 * good as the table.
 *
 * <p>{@link Access#WRITE} covers stores, atomics, bitops and list operations alike (the step
 * model does not tell them apart), and is priced as an atomic by default: most shared-state
 * writes of the code emulated are atomics or bitops.
 *
 * @param local    a step on the CPU's own state (test, compare, call, cli/sti)
 * @param read     a plain load that hits the cache
 * @param write    a store or atomic read-modify-write
 * @param lock     taking a free spinlock
 * @param unlock   releasing a spinlock
 * @param transfer extra, when the target was last touched by another CPU (a cache-line transfer)
 * @param spin     one turn of a CPU spinning on a held lock
 */
public record CostTable(long local, long read, long write, long lock, long unlock, long transfer, long spin) {

    public CostTable {
        if (local < 0 || read < 0 || write < 0 || lock < 0 || unlock < 0 || transfer < 0 || spin < 1) {
            throw new IllegalArgumentException("costs must not be negative, and a spin costs at least 1");
        }
    }

    /** 1, 3, 25, 30, 5, +100, 10 cycles. */
    public static CostTable defaults() {
        return new CostTable(1, 3, 25, 30, 5, 100, 10);
    }

    /** The same table with {@code access} costing {@code cycles}. */
    public CostTable with(Access access, long cycles) {
        return switch (access) {
            case LOCAL -> new CostTable(cycles, read, write, lock, unlock, transfer, spin);
            case READ -> new CostTable(local, cycles, write, lock, unlock, transfer, spin);
            case WRITE -> new CostTable(local, read, cycles, lock, unlock, transfer, spin);
            case LOCK -> new CostTable(local, read, write, cycles, unlock, transfer, spin);
            case UNLOCK -> new CostTable(local, read, write, lock, cycles, transfer, spin);
        };
    }

    /** The same table with a cache-line transfer costing {@code cycles}. */
    public CostTable withTransfer(long cycles) {
        return new CostTable(local, read, write, lock, unlock, cycles, spin);
    }

    /** The cost of a step of kind {@code access}, without any transfer. */
    public long of(Access access) {
        return switch (access) {
            case LOCAL -> local;
            case READ -> read;
            case WRITE -> write;
            case LOCK -> lock;
            case UNLOCK -> unlock;
        };
    }
}
