package org.mmemu.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.TestMachines;

/** GFP masks, zone names, pfn layout and /proc/buddyinfo. */
class GfpAndNodeTest {

    @Test
    void gfpMasksNameTheirZoneAndPrintReadably() {
        assertThat(Gfp.highestZone(Gfp.GFP_KERNEL)).isEqualTo(ZoneType.NORMAL);
        assertThat(Gfp.highestZone(Gfp.GFP_HIGHUSER)).isEqualTo(ZoneType.HIGHMEM);
        assertThat(Gfp.highestZone(Gfp.GFP_KERNEL | Gfp.__GFP_DMA)).isEqualTo(ZoneType.DMA);
        assertThat(Gfp.describe(Gfp.GFP_KERNEL)).isEqualTo("GFP_KERNEL");
        assertThat(Gfp.describe(Gfp.GFP_ATOMIC)).isEqualTo("GFP_ATOMIC");
        assertThat(Gfp.describe(Gfp.__GFP_WAIT | Gfp.__GFP_DMA)).isEqualTo("__GFP_DMA|__GFP_WAIT");
        assertThat(Gfp.describe(0)).isEqualTo("0");
        assertThat(Gfp.GFP_ATOMIC & Gfp.__GFP_WAIT).isZero();
    }

    @Test
    void zonesAreNamedAsTheKernelPrintsThem() {
        assertThat(ZoneType.byLabel("highmem")).isEqualTo(ZoneType.HIGHMEM);
        assertThat(ZoneType.byLabel("Normal")).isEqualTo(ZoneType.NORMAL);
        assertThatThrownBy(() -> ZoneType.byLabel("Movable")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pfnsRunAcrossTheZonesAndBuddyinfoCountsBlocks() {
        Machine m = TestMachines.boot(MachineConfig.of(1, 512).withZone(ZoneType.DMA, 16));
        assertThat(m.page(15).zone().type()).isEqualTo(ZoneType.DMA);
        assertThat(m.page(16).zone().type()).isEqualTo(ZoneType.NORMAL);
        assertThat(m.page(16).pfn()).isEqualTo(16);
        assertThatThrownBy(() -> m.page(528)).isInstanceOf(IllegalArgumentException.class);
        assertThat(m.node().buddyinfo()).isEqualTo(
                "Node 0, zone      DMA      0      0      0      0      1      0      0      0      0      0\n"
                + "Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      1\n");
        assertThat(m.node().nrPages()).isEqualTo(528);
        assertThatThrownBy(() -> new MachineConfig(0, java.util.Map.of(), false, java.util.Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
