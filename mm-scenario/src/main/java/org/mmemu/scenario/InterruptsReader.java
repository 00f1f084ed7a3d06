package org.mmemu.scenario;

import static org.mmemu.scenario.yaml.Yaml.fields;
import static org.mmemu.scenario.yaml.Yaml.intValue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mmemu.scenario.ops.Scope;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code interrupts:}: per CPU, a busy handler of {@code steps:}, a {@code handler:} program, or the program then the busy steps. */
final class InterruptsReader {
    static final Set<String> KEYS = SectionSupport.keys("steps", "max", "handler");

    private final ProgramsReader programs;

    InterruptsReader(ProgramsReader programs) {
        this.programs = programs;
    }

    Map<Integer, InterruptDecl> read(Node node, MachineSpec machine, Scope scope) {
        if (Yaml.isNull(node)) {
            return Map.of();
        }
        Map<String, Node> entries = Yaml.namedEntries(node, "interrupts");
        Map<String, Node> keyNodes = Yaml.keyNodes(node);
        Map<Integer, InterruptDecl> out = new TreeMap<>();
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            int cpu = SectionSupport.cpuId(e.getKey(), keyNodes.get(e.getKey()), machine, "interrupts");
            String what = "the interrupt of cpu" + cpu;
            Map<String, Node> f = fields(e.getValue(), what, KEYS);
            int max = f.containsKey("max") ? intValue(f.get("max"), what + ": max", 0, 1000) : 1;
            boolean hasSteps = f.containsKey("steps");
            boolean hasHandler = f.containsKey("handler");
            if (!hasSteps && !hasHandler) {
                throw ScenarioException.at(e.getValue(), what + " needs steps: (a busy handler), handler: (a program)"
                        + " or both (the program, then that many steps of work), and has neither");
            }
            int steps = hasSteps ? intValue(f.get("steps"), what + ": steps", 1, 1 << 20) : 0;
            List<OpCall> handler = hasHandler
                    ? programs.operations(f.get("handler"), what + "'s handler", scope.fresh()) : List.of();
            out.put(cpu, new InterruptDecl(cpu, steps, max, handler, ScenarioException.where(e.getValue())));
        }
        return out;
    }
}
