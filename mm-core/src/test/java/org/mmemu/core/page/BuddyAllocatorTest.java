package org.mmemu.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mmemu.core.TestMachines.cpu0;
import static org.mmemu.core.TestMachines.freeBlocks;
import static org.mmemu.core.TestMachines.zone;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.TestMachines;
import org.mmemu.core.emu.Cpu;

/** Split and coalesce across orders, boot layout, exhaustion (mm/page_alloc.c, 2.5.31). */
class BuddyAllocatorTest {

    @Test
    void bootPutsEveryPageInTheLargestAlignedBlocks() {
        Machine m = TestMachines.boot(1024);
        assertThat(freeBlocks(zone(m))).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
        assertThat(zone(m).freePages()).isEqualTo(1024);
        assertThat(m.accounting().check()).isZero();

        // 1000 = 512 + 256 + 128 + 64 + 32 + 8
        Machine odd = TestMachines.boot(1000);
        assertThat(freeBlocks(zone(odd))).containsExactly(0, 0, 0, 1, 0, 1, 1, 1, 1, 1);
        assertThat(odd.accounting().check()).isZero();
    }

    @Test
    void anOrderZeroAllocationSplitsTheTopBlockDownToOrderZero() {
        Machine m = TestMachines.boot(1024);
        Cpu cpu = cpu0(m);
        Zone z = zone(m);

        Page p = m.pageAlloc().rmqueue(cpu, z, 0);

        // expand() hands the lower halves back and keeps splitting the upper half: the page is
        // the last of the first 512-page block, and each order below 9 now holds one block.
        assertThat(p.pfn()).isEqualTo(511);
        assertThat(p.count()).isEqualTo(1);
        assertThat(freeBlocks(z)).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(z.freePages()).isEqualTo(1023);
        assertThat(m.detectors().isFree(511)).isFalse();
        assertThat(m.accounting().check()).isZero();
    }

    @Test
    void freesCoalesceOnlyWithFreeBuddiesAcrossOrders() {
        Machine m = TestMachines.boot(1024);
        Cpu cpu = cpu0(m);
        Zone z = zone(m);
        Page p0 = m.pageAlloc().rmqueue(cpu, z, 0);
        Page p3 = m.pageAlloc().rmqueue(cpu, z, 3);
        assertThat(p3.pfn()).isEqualTo(496);
        assertThat(freeBlocks(z)).containsExactly(1, 1, 1, 0, 1, 1, 1, 1, 1, 1);

        // 511 merges with 510, 508-509 and 504-507 into an order-3 block, whose buddy 496 is
        // still allocated: the merge stops there.
        m.pageAlloc().freePages(cpu, p0, 0);
        assertThat(freeBlocks(z)).containsExactly(0, 0, 0, 1, 1, 1, 1, 1, 1, 1);
        assertThat(m.accounting().check()).isZero();

        m.pageAlloc().freePages(cpu, p3, 3);
        assertThat(freeBlocks(z)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
        assertThat(z.freePages()).isEqualTo(1024);
        assertThat(m.accounting().check()).isZero();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void higherOrderBlocksAreAlignedAndOnlyTheHeadIsCounted() {
        Machine m = TestMachines.boot(1024);
        Cpu cpu = cpu0(m);
        for (int order = 0; order < Zone.MAX_ORDER; order++) {
            Page p = m.pageAlloc().rmqueue(cpu, zone(m), order);
            assertThat(p.pfn() % (1 << order)).as("order %d block at %d", order, p.pfn()).isZero();
            assertThat(p.count()).isEqualTo(1);
            if (order > 0) {
                Page tail = m.page(p.pfn() + 1);
                assertThat(tail.count()).isZero();
                assertThat(m.detectors().isTail(tail.pfn())).isTrue();
            }
        }
        // 1 + 2 + ... + 512 = 1023 pages out, and the tails are not leaks
        assertThat(zone(m).freePages()).isEqualTo(1);
        assertThat(m.accounting().check()).isZero();
    }

    @Test
    void anExhaustedZoneFailsTheAllocationCleanly() {
        Machine m = TestMachines.boot(64);
        Cpu cpu = cpu0(m);
        Zone z = zone(m);
        List<Page> taken = new ArrayList<>();
        for (Page p; (p = m.pageAlloc().rmqueue(cpu, z, 0)) != null; ) {
            taken.add(p);
        }
        assertThat(taken).hasSize(64);
        assertThat(z.freePages()).isZero();
        assertThat(m.pageAlloc().rmqueue(cpu, z, 0)).isNull();
        assertThat(m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL)).isNull();
        assertThat(m.pageAlloc().allocPages(cpu, Gfp.GFP_ATOMIC, 2)).isNull();
        cpu.setPflags(Cpu.PF_MEMALLOC);
        assertThat(m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL)).isNull();
        // nothing was left half done: no lock held, irqs as before, accounting intact
        assertThat(z.lock().isLocked()).isFalse();
        assertThat(cpu.irqsDisabled()).isFalse();
        assertThat(m.accounting().check()).isZero();
        assertThat(m.detectors().findings()).isEmpty();
    }

    @Test
    void anOrderLargerThanTheFreeBlocksFailsEvenWithPagesFree() {
        Machine m = TestMachines.boot(64);
        Cpu cpu = cpu0(m);
        Page hole = m.pageAlloc().rmqueue(cpu, zone(m), 0);
        assertThat(hole).isNotNull();
        // 63 pages free, but no block of 64
        assertThat(m.pageAlloc().rmqueue(cpu, zone(m), 6)).isNull();
        assertThat(m.pageAlloc().rmqueue(cpu, zone(m), 5)).isNotNull();
        assertThat(m.pageAlloc().allocPages(cpu, Gfp.GFP_KERNEL, Zone.MAX_ORDER)).isNull();
    }

    @Test
    void allocPagesFallsBackToLowerZonesInZonelistOrder() {
        Machine m = TestMachines.boot(org.mmemu.core.MachineConfig.of(1, 1024)
                .withZone(ZoneType.DMA, 256).withZone(ZoneType.HIGHMEM, 512));
        Cpu cpu = cpu0(m);
        assertThat(m.pageAlloc().zonelist(Gfp.GFP_HIGHUSER)).extracting(Zone::type)
                .containsExactly(ZoneType.HIGHMEM, ZoneType.NORMAL, ZoneType.DMA);
        assertThat(m.pageAlloc().zonelist(Gfp.GFP_KERNEL)).extracting(Zone::type)
                .containsExactly(ZoneType.NORMAL, ZoneType.DMA);
        assertThat(m.pageAlloc().zonelist(Gfp.__GFP_DMA | Gfp.GFP_KERNEL)).extracting(Zone::type)
                .containsExactly(ZoneType.DMA);
        assertThat(m.pageAlloc().allocPage(cpu, Gfp.GFP_HIGHUSER).zone().type()).isEqualTo(ZoneType.HIGHMEM);
        assertThat(m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL).zone().type()).isEqualTo(ZoneType.NORMAL);
        assertThat(m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL | Gfp.__GFP_DMA).zone().type()).isEqualTo(ZoneType.DMA);
        // pfns are laid out DMA, Normal, HighMem
        assertThat(m.zone(ZoneType.NORMAL).startPfn()).isEqualTo(256);
        assertThat(m.zone(ZoneType.HIGHMEM).startPfn()).isEqualTo(1280);
        assertThat(m.accounting().check()).isZero();
    }

    @Test
    void reservedPagesAreNeverFreed() {
        Machine m = TestMachines.boot(64);
        Cpu cpu = cpu0(m);
        Page p = TestMachines.page(m, 1, PageFlags.PG_reserved);
        m.pageAlloc().freePages(cpu, p, 0);
        assertThat(p.count()).isEqualTo(1);
        assertThat(m.detectors().isFree(p.pfn())).isFalse();
        assertThat(m.pageAlloc().vmstat().get(VmStat.Item.pgfree)).isZero();
    }

    @Test
    void freePagesFreesOnlyOnTheLastPut() {
        Machine m = TestMachines.boot(64);
        Cpu cpu = cpu0(m);
        Page p = TestMachines.page(m, 2);
        m.pageAlloc().freePage(cpu, p);
        assertThat(p.count()).isEqualTo(1);
        assertThat(m.detectors().isFree(p.pfn())).isFalse();
        m.pageAlloc().freePage(cpu, p);
        assertThat(p.count()).isZero();
        assertThat(m.detectors().isFree(p.pfn())).isTrue();
        assertThat(zone(m).freePages()).isEqualTo(64);
    }
}
