package org.mmemu.core;

import java.util.Set;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.list.ListHead;
import org.mmemu.core.page.Page;
import org.mmemu.core.page.Zone;

/**
 * Builds machines and pages in given states quickly, for the tests of every module (mm-core's
 * test-jar). Machines step through {@link StepGate#FREE}, so single-threaded tests run the
 * mirrors directly on the calling thread.
 *
 * <p>Pages are taken with {@code rmqueue()} on the first zone, bypassing the watermarks, so a
 * test of 64 pages can use all of them; their state is then set without steps.
 */
public final class TestMachines {
    private TestMachines() {
    }

    /** One CPU, one Normal zone of {@code pages} pages. */
    public static Machine boot(int pages) {
        return boot(MachineConfig.of(1, pages));
    }

    /** {@code cpus} CPUs, one Normal zone of {@code pages} pages. */
    public static Machine boot(int cpus, int pages) {
        return boot(MachineConfig.of(cpus, pages));
    }

    /** A machine of {@code config} whose CPUs never wait. */
    public static Machine boot(MachineConfig config) {
        return new Machine(config, StepGate.FREE);
    }

    /** {@code cpus} CPUs and one Normal zone, with no kind of finding stopping the run. */
    public static Machine bootNoStop(int cpus, int pages) {
        return boot(MachineConfig.of(cpus, pages).withStopKinds(Set.<FindingKind>of()));
    }

    /** CPU 0 of {@code m}. */
    public static Cpu cpu0(Machine m) {
        return m.cpu(0);
    }

    /** The first (lowest) zone of {@code m}. */
    public static Zone zone(Machine m) {
        return m.node().zones().get(0);
    }

    /**
     * An order-0 page taken from the allocator, then given {@code count} and {@code flags}
     * (bit numbers of {@link org.mmemu.core.page.PageFlags}) without steps.
     */
    public static Page page(Machine m, int count, int... flags) {
        Page p = m.pageAlloc().rmqueue(cpu0(m), zone(m), 0);
        if (p == null) {
            throw new IllegalStateException("zone " + zone(m) + " is empty");
        }
        p.setCountQuietly(count);
        for (int f : flags) {
            p.setFlagQuietly(f, true);
        }
        return p;
    }

    /** Like {@link #page}, and linked at the tail of {@code list} through {@code page->lru}. */
    public static Page pageOn(Machine m, ListHead list, int count, int... flags) {
        Page p = page(m, count, flags);
        list.addTailQuietly(p);
        return p;
    }

    /** The free blocks per order of {@code zone}, as {@code /proc/buddyinfo} counts them. */
    public static int[] freeBlocks(Zone zone) {
        int[] n = new int[Zone.MAX_ORDER];
        for (int o = 0; o < Zone.MAX_ORDER; o++) {
            n[o] = zone.freeArea(o).nrFree();
        }
        return n;
    }
}
