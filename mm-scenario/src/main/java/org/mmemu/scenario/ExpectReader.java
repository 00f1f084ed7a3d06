package org.mmemu.scenario;

import static org.mmemu.scenario.yaml.Yaml.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code expect:} as a list (every protocol) or a map by protocol with an optional {@code default:}. */
final class ExpectReader {
    private final Set<String> protocols;

    ExpectReader(Set<String> protocols) {
        this.protocols = protocols;
    }

    Expectations read(Node node) {
        if (!(node instanceof MappingNode)) {
            return Expectations.forAll(kinds(node));
        }
        Map<String, Node> entries = Yaml.namedEntries(node, "expect");
        Map<String, Node> keyNodes = Yaml.keyNodes(node);
        Map<String, List<FindingKind>> per = new LinkedHashMap<>();
        List<FindingKind> fallback = List.of();
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            if (e.getKey().equals(Expectations.DEFAULT_KEY)) {
                fallback = kinds(e.getValue());
            } else if (protocols.contains(e.getKey()) || isComposition(e.getKey())) {
                per.put(e.getKey(), kinds(e.getValue()));
            } else {
                throw ScenarioException.at(keyNodes.get(e.getKey()), "expect: unknown protocol '" + Echo.cut(e.getKey())
                        + "'" + Yaml.didYouMean(e.getKey(), protocols) + " (a protocol of 'mmemu protocols', a"
                        + " composition of 'mmemu kernels', or default)");
            }
        }
        return new Expectations(per, fallback, true, true);
    }

    /**
     * Whether {@code key} names a composition of {@code mmemu kernels} (a stored version plus or
     * minus a change): a composition runs its base's protocol, so a file that expects something
     * else of it than of its base names it.
     */
    private static boolean isComposition(String key) {
        return Kernels.find(key).filter(Kernels.Kernel::composition).filter(k -> k.name().equals(key)).isPresent();
    }

    /** A list of finding kinds, each once; never the warning refcount-from-zero. */
    private static List<FindingKind> kinds(Node node) {
        List<FindingKind> out = new ArrayList<>();
        for (Node n : Yaml.list(node, "expect")) {
            String id = string(n, "expect: a finding kind");
            FindingKind k;
            try {
                k = FindingKind.byId(id);
            } catch (IllegalArgumentException e) {
                List<String> ids = new ArrayList<>();
                for (FindingKind fk : FindingKind.values()) {
                    ids.add(fk.id());
                }
                throw ScenarioException.at(n, "unknown finding kind '" + id + "' (expected one of: "
                        + String.join(", ", ids) + ")");
            }
            if (k == FindingKind.REFCOUNT_FROM_ZERO) {
                throw ScenarioException.at(n, "refcount-from-zero is a warning, never a finding by itself, so it"
                        + " cannot be expected");
            }
            if (out.contains(k)) {
                throw ScenarioException.at(n, "finding kind " + id + " listed twice");
            }
            out.add(k);
        }
        return out;
    }
}
