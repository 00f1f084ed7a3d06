package org.mmemu.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mmemu.core.TestMachines.cpu0;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.TestMachines;
import org.mmemu.core.emu.Cpu;

/**
 * The watermarks of free_area_init_core() and the passes of {@code __alloc_pages()} (2.5.31,
 * docs/FIDELITY.md), with a mock {@link ReclaimHooks} standing in for kswapd and direct reclaim.
 * A 1000-page zone has min 20, low 40, high 60.
 */
class WatermarkTest {
    private final ReclaimHooks hooks = mock(ReclaimHooks.class);

    @ParameterizedTest(name = "{0} pages: min {1} low {2} high {3}")
    @CsvSource({"64, 20, 40, 60", "1000, 20, 40, 60", "2560, 20, 40, 60", "3000, 23, 46, 69",
                "12800, 100, 200, 300", "64000, 255, 510, 765"})
    void watermarksAreOneTwoAndThreeTimesRealsizeOver128Clamped(int pages, int min, int low, int high) {
        Zone z = TestMachines.zone(TestMachines.boot(pages));
        assertThat(new int[] {z.pagesMin(), z.pagesLow(), z.pagesHigh()}).containsExactly(min, low, high);
    }

    /** A 1000-page Normal zone drained to {@code free} pages, with the mock hooks installed. */
    private Machine drainedTo(int free) {
        Machine m = TestMachines.boot(1000);
        m.setReclaimHooks(hooks);
        drain(m, TestMachines.zone(m), free);
        return m;
    }

    private static List<Page> drain(Machine m, Zone z, int free) {
        List<Page> held = new ArrayList<>();
        while (z.freePages() > free) {
            held.add(m.pageAlloc().rmqueue(cpu0(m), z, 0));
        }
        return held;
    }

    @Test
    void passOneTakesAPageAbovePagesLowWithoutWakingKswapd() {
        Machine m = drainedTo(42); // 42 > 1 + 40
        assertThat(m.pageAlloc().allocPage(cpu0(m), Gfp.GFP_KERNEL)).isNotNull();
        verify(hooks, never()).wakeupKswapd(any(), any());
        assertThat(TestMachines.zone(m).needBalance()).isFalse();
    }

    @Test
    void atPagesLowKswapdIsWokenAndPassTwoTakesAPageAbovePagesMin() {
        Machine m = drainedTo(41);
        Zone z = TestMachines.zone(m);
        assertThat(m.pageAlloc().allocPage(cpu0(m), Gfp.GFP_KERNEL)).isNotNull();
        verify(hooks).wakeupKswapd(cpu0(m), z);
        verify(hooks, never()).tryToFreePages(any(), any(), anyInt(), anyInt());
        assertThat(z.needBalance()).isTrue();
        assertThat(z.freePages()).isEqualTo(40);
    }

    @Test
    void atPagesMinAWaitingAllocationReclaimsRetriesAndFailsWhenNothingIsFreed() {
        Machine m = drainedTo(21); // not > 1 + 20
        Cpu cpu = cpu0(m);
        assertThat(m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL)).isNull();
        verify(hooks, times(PageAlloc.MAX_RETRIES + 1)).tryToFreePages(eq(cpu), any(), eq(Gfp.GFP_KERNEL), eq(0));
        assertThat(m.pageAlloc().vmstat().get(VmStat.Item.allocstall)).isEqualTo(PageAlloc.MAX_RETRIES + 1);
        assertThat(cpu.pflags()).isZero(); // PF_MEMALLOC was restored
        assertThat(TestMachines.zone(m).freePages()).isEqualTo(21);
    }

    @Test
    void gfpHighDipsToAQuarterOfPagesMinWithoutReclaiming() {
        Machine m = drainedTo(21);
        assertThat(m.pageAlloc().allocPage(cpu0(m), Gfp.GFP_ATOMIC)).isNotNull(); // 21 > 1 + 20/4
        verify(hooks, never()).tryToFreePages(any(), any(), anyInt(), anyInt());

        Machine low = drainedTo(6); // not > 1 + 5
        assertThat(low.pageAlloc().allocPage(cpu0(low), Gfp.GFP_ATOMIC)).isNull();
        verify(hooks, never()).tryToFreePages(any(), any(), anyInt(), anyInt());
        assertThat(TestMachines.zone(low).freePages()).isEqualTo(6);
    }

    @Test
    void withoutGfpWaitAnAllocationBelowPagesMinFailsWithoutReclaim() {
        Machine m = drainedTo(21);
        assertThat(m.pageAlloc().allocPage(cpu0(m), Gfp.__GFP_IO)).isNull();
        verify(hooks).wakeupKswapd(any(), any());
        verify(hooks, never()).tryToFreePages(any(), any(), anyInt(), anyInt());
    }

    @Test
    void pfMemallocIgnoresTheWatermarks() {
        Machine m = drainedTo(1);
        Cpu cpu = cpu0(m);
        cpu.setPflags(Cpu.PF_MEMALLOC);
        assertThat(m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL)).isNotNull();
        assertThat(m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL)).isNull();
        verify(hooks, never()).tryToFreePages(any(), any(), anyInt(), anyInt());
    }

    @Test
    void directReclaimRunsWithPfMemallocAndPassThreeTakesWhatItFreed() {
        Machine m = TestMachines.boot(1000);
        m.setReclaimHooks(hooks);
        Zone z = TestMachines.zone(m);
        List<Page> held = drain(m, z, 21);
        int[] pflagsSeen = {-1};
        when(hooks.tryToFreePages(any(), any(), anyInt(), anyInt())).thenAnswer(inv -> {
            Cpu c = inv.getArgument(0);
            pflagsSeen[0] = c.pflags();
            for (int i = 0; i < 30; i++) {
                m.pageAlloc().freePage(c, held.remove(held.size() - 1));
            }
            return 30;
        });
        assertThat(m.pageAlloc().allocPage(cpu0(m), Gfp.GFP_KERNEL)).isNotNull();
        verify(hooks, times(1)).tryToFreePages(any(), eq(z), anyInt(), eq(0));
        assertThat(pflagsSeen[0] & Cpu.PF_MEMALLOC).isNotZero();
        assertThat(cpu0(m).pflags()).isZero();
        assertThat(z.freePages()).isEqualTo(50);
    }

    @Test
    void ordersAboveThreeDoNotLoop() {
        Machine m = drainedTo(21);
        assertThat(m.pageAlloc().allocPages(cpu0(m), Gfp.GFP_KERNEL, 4)).isNull();
        verify(hooks, times(1)).tryToFreePages(any(), any(), anyInt(), eq(4));
    }

    @Test
    void theMinimumGrowsAlongTheZonelistSoLowerZonesAreAFallback() {
        Machine m = TestMachines.boot(MachineConfig.of(1, 1000).withZone(ZoneType.DMA, 1000));
        m.setReclaimHooks(hooks);
        Zone normal = m.zone(ZoneType.NORMAL);
        Zone dma = m.zone(ZoneType.DMA);
        drain(m, normal, 0);
        drain(m, dma, 42);
        // Pass 1 asks DMA for more than 1 + 40 + 40 (or pages_high 60): 42 is not enough.
        // Pass 2 asks for more than 1 + 20 + 20: it is.
        Page p = m.pageAlloc().allocPage(cpu0(m), Gfp.GFP_KERNEL);
        assertThat(p.zone()).isSameAs(dma);
        verify(hooks).wakeupKswapd(cpu0(m), normal);
        assertThat(normal.needBalance()).isTrue();
        assertThat(dma.needBalance()).isFalse(); // only the classzone is flagged

        Machine m2 = TestMachines.boot(MachineConfig.of(1, 1000).withZone(ZoneType.DMA, 1000));
        ReclaimHooks quiet = mock(ReclaimHooks.class);
        m2.setReclaimHooks(quiet);
        drain(m2, m2.zone(ZoneType.NORMAL), 0);
        drain(m2, m2.zone(ZoneType.DMA), 60);
        // At pages_high a zone is used in pass 1 whatever the accumulated minimum (patch 17).
        assertThat(m2.pageAlloc().allocPage(cpu0(m2), Gfp.GFP_KERNEL).zone().type()).isEqualTo(ZoneType.DMA);
        verify(quiet, never()).wakeupKswapd(any(), any());
    }

    @Test
    void overriddenWatermarksAreChecked() {
        Zone z = TestMachines.zone(TestMachines.boot(64));
        z.overrideWatermarks(1, 2, 3);
        assertThat(new int[] {z.pagesMin(), z.pagesLow(), z.pagesHigh()}).containsExactly(1, 2, 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> z.overrideWatermarks(3, 2, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
