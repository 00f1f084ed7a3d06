package org.mmemu.scenario;

import static org.mmemu.scenario.yaml.Yaml.fields;
import static org.mmemu.scenario.yaml.Yaml.string;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mmemu.scenario.yaml.ScenarioException;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code odds:}: the scenario's settings for {@code mmemu odds}. */
final class OddsReader {
    static final Set<String> KEYS = SectionSupport.keys("offset-cpu");
    private static final Pattern CPU = Pattern.compile("cpu([0-9]{1,2})");

    private OddsReader() {
    }

    static OddsSettings read(Node node, MachineSpec machine) {
        Map<String, Node> f = fields(node, "odds", KEYS);
        if (!f.containsKey("offset-cpu")) {
            return OddsSettings.DEFAULT;
        }
        Node at = f.get("offset-cpu");
        String name = string(at, "offset-cpu");
        Matcher m = CPU.matcher(name);
        if (!m.matches() || Integer.parseInt(m.group(1)) >= machine.cpus()) {
            throw ScenarioException.at(at, "offset-cpu: '" + Echo.cut(name) + "' is not a CPU of this machine (cpu0..cpu"
                    + (machine.cpus() - 1) + ")");
        }
        return new OddsSettings(Integer.parseInt(m.group(1)));
    }
}
