package org.mmemu.reclaim;

import java.util.ArrayDeque;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.PageFlags;
import org.mmemu.core.page.VmStat;
import org.mmemu.core.sync.SpinLock;

/**
 * Shim, a stand-in for writeback and the disk (mm/page-writeback.c, {@code ->vm_writeback} /
 * {@code ->writepage}, and the block layer, 2.5.31): starting writeback clears PG_dirty and sets
 * PG_writeback, as {@code set_page_writeback()} does; the I/O then completes a fixed number of
 * reclaim passes later ({@link ReclaimConfig#writebackPasses()}), when {@link #pass} runs
 * {@code end_page_writeback()} on it. Time in reclaim passes is what reclaim itself can observe:
 * a page is never freed before its data is on "disk".
 *
 * <p>{@code wait_on_page_writeback()} sleeps in the kernel until the I/O completes; here it
 * completes the I/O at once (a reader who waited would see exactly that). The queue is guarded
 * by a lock of its own, standing in for the request queue's.
 */
public final class Writeback {
    private static final Site DIRTY = Site.of("clear_page_dirty", "TestClearPageDirty(page)");
    private static final Site SET = Site.of("set_page_writeback", "SetPageWriteback(page)");
    private static final Site UNLOCK = Site.of("generic_vm_writeback", "unlock_page(page)");
    private static final Site END = Site.of("end_page_writeback", "TestClearPageWriteback(page)");
    private static final Site WAIT = Site.of("wait_on_page_writeback", "PageWriteback(page)");
    private static final Site QUEUE = Site.of("submit_bio", "request queue");

    private final Machine machine;
    private final int delay;
    private final SpinLock queueLock = new SpinLock("writeback queue");
    private final ArrayDeque<long[]> queue = new ArrayDeque<>();
    /**
     * Each page's ticket in the queue (0: none), read and written under the queue lock; made
     * on the first write, since most machines (a scenario's, booted per schedule) write nothing.
     */
    private long[] ticket;
    private long passes;
    private long tickets;
    /**
     * Writes in the queue, written under the queue lock; read without it by {@link #pass}, so
     * that a pass with nothing to complete takes no step (the kernel has no such pass: it stands
     * for time going by, and where nothing is written nothing happens). A stale read under the
     * free engine only delays a completion to the next pass.
     */
    private volatile int queued;

    Writeback(Machine machine, int delay) {
        this.machine = machine;
        this.delay = delay;
    }

    /**
     * mm/page-writeback.c: generic_vm_writeback() (2.5.31), for a locked dirty page: cleans it,
     * sets PG_writeback, submits its write and only then unlocks it, as ->writepage
     * ({@code __block_write_full_page}) does: a task that locks the page afterwards (truncate)
     * finds the write either not started or queued. {@code pgpgout} counts it.
     */
    public void vmWriteback(Cpu cpu, Page page) {
        if (!page.testClearFlag(cpu, DIRTY, PageFlags.PG_dirty)) {
            page.unlockPage(cpu, UNLOCK);
            return;
        }
        page.setFlag(cpu, SET, PageFlags.PG_writeback);
        queueLock.spinLock(cpu);
        cpu.step(QUEUE, queue, Access.WRITE);
        long t = ++tickets;
        if (ticket == null) {
            ticket = new long[machine.node().nrPages()];
        }
        ticket[page.pfn()] = t;
        queue.addLast(new long[] {page.pfn(), t, passes + delay});
        queued = queue.size();
        queueLock.spinUnlock(cpu);
        page.unlockPage(cpu, UNLOCK);
        machine.pageAlloc().vmstat().inc(VmStat.Item.pgpgout);
    }

    /**
     * One reclaim pass has gone by: every write due by now completes. Called at the start of
     * each {@code shrink_cache()}; workloads may call it to let time pass. With no write in the
     * queue it does nothing and takes no step (the clock only matters to queued writes, whose
     * due pass is counted from their submission).
     */
    public void pass(Cpu cpu) {
        if (queued == 0) {
            return; // nothing written, no time to pass: no step
        }
        ArrayDeque<Page> done = new ArrayDeque<>();
        queueLock.spinLock(cpu);
        cpu.step(QUEUE, queue, Access.WRITE);
        passes++;
        while (!queue.isEmpty() && queue.peekFirst()[2] <= passes) {
            long[] w = queue.pollFirst();
            if (ticket != null && ticket[(int) w[0]] == w[1]) {
                ticket[(int) w[0]] = 0;
                done.add(machine.page(w[0]));
            }
        }
        queued = queue.size();
        queueLock.spinUnlock(cpu);
        for (Page page : done) {
            endPageWriteback(cpu, page);
        }
    }

    /** mm/filemap.c: end_page_writeback() (2.5.31): the write is on disk. */
    public void endPageWriteback(Cpu cpu, Page page) {
        page.testClearFlag(cpu, END, PageFlags.PG_writeback);
    }

    /**
     * mm/filemap.c: wait_on_page_writeback() (2.5.31): here, completes the write at once if it
     * is still queued. If {@link #pass} has already taken it off the queue, that CPU is about to
     * run end_page_writeback(), and the waiter spins on PG_writeback until it has (the kernel
     * sleeps): completing it a second time would let the waiter (truncate) free the page before
     * the completer's end_page_writeback() touches it.
     */
    public void waitOnPageWriteback(Cpu cpu, Page page) {
        if (!page.testFlag(cpu, WAIT, PageFlags.PG_writeback)) {
            return;
        }
        queueLock.spinLock(cpu);
        cpu.step(QUEUE, queue, Access.WRITE);
        boolean queued = ticket != null && ticket[page.pfn()] != 0;
        if (queued) {
            ticket[page.pfn()] = 0;
        }
        queueLock.spinUnlock(cpu);
        if (queued) {
            endPageWriteback(cpu, page);
            return;
        }
        while (page.testFlag(cpu, WAIT, PageFlags.PG_writeback)) {
            Thread.onSpinWait();
        }
    }

    /** Writes submitted and not yet completed, without steps. */
    public int inFlightQuietly() {
        int n = 0;
        if (ticket == null) {
            return 0;
        }
        for (long t : ticket) {
            if (t != 0) {
                n++;
            }
        }
        return n;
    }
}
