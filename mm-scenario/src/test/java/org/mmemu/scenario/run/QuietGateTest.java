package org.mmemu.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;

/**
 * The scenario's set-up gate: shut, it passes nothing; open, it passes every step to the engine
 * with its field, which partial-order reduction needs (a gate that dropped the field made every
 * step on a page touch the whole page, and dpor explored thousands of times more traces).
 */
class QuietGateTest {
    @Test
    void itPassesTheFieldOnceOpen() {
        List<String> seen = new ArrayList<>();
        QuietGate gate = new QuietGate((cpu, site, target, field, access) -> seen.add(field + " " + access));
        Machine m = new Machine(MachineConfig.of(1, 64), gate);
        Cpu cpu = m.cpu(0);
        Site site = Site.of("page_cache_release", "put_page_testzero(page)");

        cpu.step(site, this, Access.COUNT, Access.WRITE);
        gate.open();
        cpu.step(site, this, Access.COUNT, Access.WRITE);
        cpu.step(site, this, Access.READ);

        assertThat(seen).containsExactly(Access.COUNT + " WRITE", Access.WHOLE + " READ");
    }
}
