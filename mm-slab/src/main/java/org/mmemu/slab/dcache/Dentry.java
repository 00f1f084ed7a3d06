package org.mmemu.slab.dcache;

import java.util.concurrent.atomic.AtomicInteger;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.list.ListHead;
import org.mmemu.slab.SlabObject;

/**
 * {@code struct dentry} of include/linux/dcache.h (2.5), reduced to what makes it a reclaimable
 * slab object: {@code d_count}, the {@code d_lru} link on {@code dentry_unused}, whether it is
 * hashed ({@code d_hash} non-empty) and the DCACHE_REFERENCED bit of {@code d_vfs_flags}.
 * A shim of the VFS's dentry, enough to drive the slab and the shrinker the way the dcache did:
 * names, inodes, parents and children are left out.
 *
 * <p>{@code d_count} is an {@code atomic_t}: each primitive is one step and a real atomic.
 * The other fields are protected by {@code dcache_lock} and stepped by {@link DentryCache}.
 */
public final class Dentry extends SlabObject {
    /** {@code DCACHE_REFERENCED}: "Recently used, don't discard." */
    public static final int DCACHE_REFERENCED = 0x0008;

    private final AtomicInteger dCount = new AtomicInteger();
    /** {@code dentry->d_lru}, on {@code dentry_unused} while the count is 0. */
    final LruLink dLru = new LruLink(this);
    boolean hashed;
    int dVfsFlags;

    /** {@code atomic_read(&dentry->d_count)}: one step. */
    public int dCount(Cpu cpu, Site site) {
        cpu.step(site, this, Access.READ);
        return dCount.get();
    }

    /** {@code atomic_set(&dentry->d_count, v)}: one step. */
    void setDCount(Cpu cpu, Site site, int v) {
        cpu.step(site, this, Access.WRITE);
        dCount.set(v);
    }

    /** {@code atomic_inc(&dentry->d_count)}: one step; the new value. */
    int incDCount(Cpu cpu, Site site) {
        cpu.step(site, this, Access.WRITE);
        return dCount.incrementAndGet();
    }

    /** {@code atomic_dec_and_test(&dentry->d_count)} ({@code lock decl}): one step; true at zero. */
    boolean decAndTest(Cpu cpu, Site site) {
        cpu.step(site, this, Access.WRITE);
        return dCount.decrementAndGet() == 0;
    }

    /** {@code cmpxchg(&d_count, old, new)}: one step. */
    boolean cmpxchg(Cpu cpu, Site site, int old, int nw) {
        cpu.step(site, this, Access.WRITE);
        return dCount.compareAndSet(old, nw);
    }

    /** {@code d_count}, read without a step. */
    public int dCountQuietly() {
        return dCount.get();
    }

    /** Whether the dentry is hashed, read without a step. */
    public boolean hashedQuietly() {
        return hashed;
    }

    /** Whether the dentry is on {@code dentry_unused}, read without a step. */
    public boolean onUnusedQuietly() {
        return dLru.isLinked();
    }

    /** {@code dentry->d_lru}: a list entry that knows its dentry ({@code list_entry(tmp, struct dentry, d_lru)}). */
    static final class LruLink extends ListHead {
        final Dentry dentry;

        LruLink(Dentry d) {
            this.dentry = d;
        }
    }
}
