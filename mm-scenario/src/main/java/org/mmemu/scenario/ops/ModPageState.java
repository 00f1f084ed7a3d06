package org.mmemu.scenario.ops;

import java.util.Arrays;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.page.VmStat;

/**
 * {@code mod_page_state(member, delta)} — include/linux/page-flags.h (2.5.31-2.5.33; 2.6's
 * {@code __mod_page_state()} under {@code local_irq_save}): {@code page_states[smp_processor_id()].member
 * += delta} with preemption off. The add is not atomic: a load and a store of this CPU's
 * counter, two steps, so that an interrupt whose handler updates the same counter between them
 * is an interleaving the engines explore (in the kernel the handler's update is then lost).
 * Departure: the value is the machine's {@code /proc/vmstat} counter of that name (mm-core
 * {@code VmStat}, a sum that loses nothing); the steps carry the interleaving, not the
 * arithmetic. Form:
 * {@code mod_page_state: {item: pgfree, delta: 1}}.
 */
public final class ModPageState implements OperationType {
    private static final Site LOAD = Site.of("mod_page_state", "page_states[cpu].member (load)");
    private static final Site STORE = Site.of("mod_page_state", "page_states[cpu].member += delta (store)");

    /** This CPU's {@code page_states[cpu]}, as a step target. */
    private record PerCpu(int cpu) {
        @Override
        public String toString() {
            return "page_states[cpu" + cpu + "]";
        }
    }

    @Override
    public String name() {
        return "mod_page_state";
    }

    @Override
    public String source() {
        return "include/linux/page-flags.h";
    }

    @Override
    public String summary() {
        return "page_states[cpu].item += delta: a load and a store of this CPU's counter";
    }

    @Override
    public Operation bind(Args args) {
        String item = args.string("item", 0, null);
        VmStat.Item it = Arrays.stream(VmStat.Item.values()).filter(i -> i.name().equals(item)).findFirst()
                .orElseThrow(() -> args.error("item '" + item + "' is not a page_states counter (one of "
                        + String.join(", ", Arrays.stream(VmStat.Item.values()).map(Enum::name).toList()) + ")"));
        int delta = args.integer("delta", 1, 1, -1_000_000, 1_000_000);
        args.done();
        return (world, cpu) -> modPageState(world, cpu, it, delta);
    }

    private static void modPageState(World world, Cpu cpu, VmStat.Item item, int delta) {
        PerCpu target = cpu.perCpu(PerCpu.class, c -> new PerCpu(c.id()));
        cpu.preemptDisable();
        cpu.step(LOAD, target, Access.READ);
        cpu.step(STORE, target, Access.WRITE);
        world.machine().pageAlloc().vmstat().add(item, delta);
        cpu.preemptEnable();
    }
}
