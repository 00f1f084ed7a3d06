package org.mmemu.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.engine.control.Explorer;

/**
 * {@code dpor} against plain enumeration when steps name fields of one target, as steps on a
 * page do: its count, two flag bits, all flags at once ({@link Access#FLAGS}) and the whole
 * target ({@link Access#WHOLE}). Steps on different fields commute; a step on all flags or on the
 * whole overlaps the fields it contains ({@link Access#sameField}, {@link Access#contains}). A
 * wrong overlap or containment rule makes dpor miss a final state that plain enumeration reaches.
 */
class DporFieldsPropertyTest {
    private static final Site OP = Site.of("random", "field op");
    private static final ExploreOptions PLAIN = ExploreOptions.defaults().withPreemptionBound(-1).withPor(false)
            .withShrink(false);
    private static final ExploreOptions DPOR = PLAIN.withPolicy("dpor");
    /** The fields a step may name; the elementary ones (count, bit 0, bit 1) each hold a value. */
    private static final int[] FIELDS = {Access.COUNT, Access.flag(0), Access.flag(1), Access.FLAGS, Access.WHOLE};

    /** A load ({@code store} false) or store of field {@code FIELDS[field]}. */
    record Op(boolean store, int field) {
    }

    /** Which of the elementary values (count, bit 0, bit 1) a field covers. */
    private static boolean[] covers(int field) {
        return switch (field) {
            case 0 -> new boolean[] {true, false, false};
            case 1 -> new boolean[] {false, true, false};
            case 2 -> new boolean[] {false, false, true};
            case 3 -> new boolean[] {false, true, true};
            default -> new boolean[] {true, true, true};
        };
    }

    /** The one shared target and its three elementary values. */
    static final class Target {
        final long[] values = new long[3];
    }

    @Provide
    Arbitrary<List<List<Op>>> programs() {
        Arbitrary<Op> op = Arbitraries.of(true, false).flatMap(st -> Arbitraries.integers().between(0, FIELDS.length - 1)
                .map(f -> new Op(st, f)));
        return Arbitraries.integers().between(2, 3).flatMap(cpus -> op.list().ofMinSize(1).ofMaxSize(cpus == 3 ? 3 : 4)
                .list().ofSize(cpus));
    }

    @Property(tries = 100)
    void dporReachesWhatPlainEnumerationReaches(@ForAll("programs") List<List<Op>> ops) {
        Set<String> plain = ConcurrentHashMap.newKeySet();
        Set<String> dpor = ConcurrentHashMap.newKeySet();
        ExploreResult p = Explorer.explore(program(ops, plain), PLAIN);
        ExploreResult d = Explorer.explore(program(ops, dpor), DPOR);
        assertThat(d.complete()).isTrue();
        assertThat(dpor).as("final states of %s", ops).isEqualTo(plain);
        assertThat(d.schedules() + d.pruned()).isLessThanOrEqualTo(p.schedules());
    }

    private static Program program(List<List<Op>> ops, Set<String> finals) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(ops.size(), 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                Target t = m.extension(Target.class, x -> new Target());
                long r = cpu.id() + 1;
                for (Op op : ops.get(cpu.id())) {
                    boolean[] in = covers(op.field());
                    cpu.step(OP, t, FIELDS[op.field()], op.store() ? Access.WRITE : Access.READ);
                    for (int v = 0; v < 3; v++) {
                        if (!in[v]) {
                            continue;
                        }
                        if (op.store()) {
                            t.values[v] = t.values[v] * 7 + r;
                        } else {
                            r = r * 31 + t.values[v];
                        }
                    }
                }
                cpu.perCpu(DporFieldsPropertyTest.class, x -> new long[1])[0] = r;
            }

            @Override
            public void atQuiescence(Machine m) {
                StringBuilder b = new StringBuilder(Arrays.toString(m.extension(Target.class, x -> new Target()).values));
                for (Cpu c : m.cpus()) {
                    b.append(' ').append(c.perCpu(DporFieldsPropertyTest.class, x -> new long[1])[0]);
                }
                finals.add(b.toString());
            }
        };
    }
}
