package org.mmemu.scenario;

import static org.mmemu.scenario.yaml.Yaml.string;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mmemu.scenario.ops.Args;
import org.mmemu.scenario.ops.OperationRegistry;
import org.mmemu.scenario.ops.OperationType;
import org.mmemu.scenario.ops.Scope;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** {@code programs:}: one list of operations per CPU, each bound by its operation type. */
final class ProgramsReader {
    private final OperationRegistry operations;

    ProgramsReader(OperationRegistry operations) {
        this.operations = operations;
    }

    Map<Integer, List<OpCall>> read(Node node, MachineSpec machine, Scope scope) {
        Map<String, Node> entries = Yaml.namedEntries(node, "programs");
        Map<String, Node> keyNodes = Yaml.keyNodes(node);
        Map<Integer, List<OpCall>> out = new TreeMap<>();
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            int cpu = SectionSupport.cpuId(e.getKey(), keyNodes.get(e.getKey()), machine, "programs");
            if (out.containsKey(cpu)) {
                throw ScenarioException.at(keyNodes.get(e.getKey()), "cpu" + cpu + " has two programs");
            }
            out.put(cpu, operations(e.getValue(), "the program of cpu" + cpu, scope.fresh()));
        }
        if (out.isEmpty()) {
            throw ScenarioException.at(node, "programs must give at least one CPU's program");
        }
        return out;
    }

    /** A list of operations, each {@code name}, {@code name: args} (a program or a handler). */
    List<OpCall> operations(Node node, String what, Scope scope) {
        List<OpCall> out = new ArrayList<>();
        for (Node item : Yaml.list(node, what)) {
            Node nameNode;
            Node value;
            if (item instanceof MappingNode m) {
                List<NodeTuple> ts = m.getValue();
                if (ts.size() != 1) {
                    throw ScenarioException.at(item, "each item of " + what + " is one operation ('- name: arguments'),"
                            + " not " + ts.size());
                }
                nameNode = ts.get(0).getKeyNode();
                value = ts.get(0).getValueNode();
            } else if (item instanceof ScalarNode && !Yaml.isNull(item)) {
                nameNode = item;
                value = null;
            } else {
                throw ScenarioException.at(item, "each item of " + what + " must be an operation, not "
                        + Yaml.describe(item));
            }
            String name = string(nameNode, "an operation");
            OperationType type = operations.lookup(name, nameNode);
            Args args = Args.of(name, nameNode, value, scope);
            out.add(new OpCall(name, type.bind(args), ScenarioException.where(nameNode)));
        }
        return out;
    }
}
