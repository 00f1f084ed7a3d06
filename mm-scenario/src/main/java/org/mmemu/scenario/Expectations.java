package org.mmemu.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmemu.core.emu.FindingKind;

/**
 * A scenario's {@code expect:}: the finding kinds that must occur, for every protocol alike
 * ({@code expect: [double-free]}) or per protocol ({@code expect: { mm1: [double-free],
 * always-lock: [], default: [] }}). A protocol the map does not name takes {@code default:};
 * with no {@code default:} (and with no {@code expect:} at all) nothing may be found, as for
 * {@code expect: []}. An empty list holds only when the search covered its space.
 *
 * @param perProtocol the lists of the map form, by protocol name (empty for the list form)
 * @param fallback    the list form's list, or the map's {@code default:} (empty when not given)
 * @param stated      whether the file had an {@code expect:} at all
 * @param byProtocol  whether it has the map form (even with only {@code default:}), which says
 *                    what every protocol should give
 */
public record Expectations(Map<String, List<FindingKind>> perProtocol, List<FindingKind> fallback, boolean stated,
                           boolean byProtocol) {
    /** The key of the map form that covers the protocols it does not name. */
    public static final String DEFAULT_KEY = "default";

    public Expectations {
        Map<String, List<FindingKind>> m = new LinkedHashMap<>();
        perProtocol.forEach((k, v) -> m.put(k, List.copyOf(v)));
        perProtocol = java.util.Collections.unmodifiableMap(m);
        fallback = List.copyOf(fallback);
    }

    /** No {@code expect:} in the file: nothing may be found. */
    public static Expectations none() {
        return new Expectations(Map.of(), List.of(), false, false);
    }

    /** The list form: the same kinds for every protocol. */
    public static Expectations forAll(List<FindingKind> kinds) {
        return new Expectations(Map.of(), kinds, true, false);
    }

    /** What must be found when the scenario runs under {@code protocol}. */
    public List<FindingKind> of(String protocol) {
        return perProtocol.getOrDefault(protocol, fallback);
    }

    /** Whether the file gave {@code protocol} an expectation of its own (the map form names it). */
    public boolean names(String protocol) {
        return perProtocol.containsKey(protocol);
    }

    /** As the file would write it: {@code [double-free]} or {@code {mm1: [double-free], default: []}}. */
    @Override
    public String toString() {
        if (!byProtocol) {
            return ids(fallback);
        }
        StringBuilder b = new StringBuilder("{");
        perProtocol.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append(": ").append(ids(v)));
        return b.append(b.length() > 1 ? ", " : "").append(DEFAULT_KEY).append(": ").append(ids(fallback)).append('}').toString();
    }

    /** {@code [a, b]}. */
    public static String ids(List<FindingKind> kinds) {
        return "[" + String.join(", ", kinds.stream().map(FindingKind::id).toList()) + "]";
    }
}
