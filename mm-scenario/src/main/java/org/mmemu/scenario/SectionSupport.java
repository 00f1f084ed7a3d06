package org.mmemu.scenario;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.Node;

/** What the section readers share: required keys, names, {@code cpuN} keys. */
final class SectionSupport {
    /** A scenario, page or mapping name. */
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
    private static final Pattern CPU = Pattern.compile("cpu([0-9]{1,3})");

    private SectionSupport() {
    }

    static Set<String> keys(String... ks) {
        return new LinkedHashSet<>(List.of(ks));
    }

    /** {@code m}'s {@code key}, which {@code what} (at {@code at}) must have. */
    static Node need(Map<String, Node> m, String key, Node at, String what) {
        return Yaml.need(m, key, at, what);
    }

    /** The CPU a {@code cpuN} key of {@code section} names, one the machine has. */
    static int cpuId(String key, Node at, MachineSpec machine, String section) {
        Matcher m = CPU.matcher(key);
        if (!m.matches()) {
            throw ScenarioException.at(at, "unknown key '" + key + "' in " + section + " (expected cpu0..cpu"
                    + (machine.cpus() - 1) + ")");
        }
        int id = Integer.parseInt(m.group(1));
        if (id >= machine.cpus()) {
            if (!machine.smp()) {
                throw ScenarioException.at(at, key + " but the machine has smp: false, the uniprocessor build of one"
                        + " CPU (cpu0): its other work can only be an interrupt handler of cpu0");
            }
            throw ScenarioException.at(at, key + " but the machine has " + machine.cpus() + " CPU"
                    + (machine.cpus() == 1 ? "" : "s") + " (cpu0..cpu" + (machine.cpus() - 1) + ")");
        }
        return id;
    }
}
