package org.mmemu.core.emu;

/**
 * What a {@link Access#LOCK} step may wait on: a spinlock ({@code SpinLock}) or a page's
 * {@code PG_locked} bit ({@code Page}, taken by {@code lock_page()}). While {@link #isLocked()}
 * is true, a CPU whose next step is a {@code LOCK} on it cannot go on: the controlled engines
 * do not choose it, and when every CPU waits so, the run ends in a deadlock finding.
 */
public interface Lockable {
    /** Whether the lock is held now; read without a step, by engines and checks. */
    boolean isLocked();

    /** The lock's name in findings and traces ({@code zone->lru_lock}, {@code PG_locked of page pfn 3}). */
    String lockName();
}
