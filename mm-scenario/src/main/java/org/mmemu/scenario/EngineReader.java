package org.mmemu.scenario;

import static org.mmemu.scenario.yaml.Yaml.fields;
import static org.mmemu.scenario.yaml.Yaml.intValue;
import static org.mmemu.scenario.yaml.Yaml.string;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** {@code engine:}: the file's defaults for the command line's engine options. */
final class EngineReader {
    static final Set<String> KEYS = SectionSupport.keys("policy", "preemption-bound", "delays", "seed", "skew",
            "max-schedules", "time-limit", "schedule", "merge");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)?");

    private EngineReader() {
    }

    static EngineSettings read(Node node) {
        Map<String, Node> f = fields(node, "engine", KEYS);
        String policy = f.containsKey("policy") ? Yaml.choice(f.get("policy"), "policy", EngineSettings.POLICIES) : null;
        Integer bound = f.containsKey("preemption-bound") ? bound(f.get("preemption-bound")) : null;
        String delays = f.containsKey("delays") ? Yaml.choice(f.get("delays"), "delays", EngineSettings.DELAYS) : null;
        Long seed = f.containsKey("seed") ? Yaml.integer(f.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : null;
        Integer skew = f.containsKey("skew") ? intValue(f.get("skew"), "skew", 0, 1 << 16) : null;
        Long max = f.containsKey("max-schedules")
                ? Yaml.integer(f.get("max-schedules"), "max-schedules", 1, 1_000_000_000_000L) : null;
        Duration limit = f.containsKey("time-limit") ? duration(f.get("time-limit"), "time-limit") : null;
        String schedule = f.containsKey("schedule") ? schedule(f.get("schedule")) : null;
        Boolean merge = f.containsKey("merge") ? Yaml.bool(f.get("merge"), "merge") : null;
        return new EngineSettings(policy, bound, delays, seed, skew, max, limit, schedule, merge);
    }

    /** {@code preemption-bound:} a number from 0 to 64, or {@code none}. */
    private static int bound(Node node) {
        if (node instanceof ScalarNode sc && sc.getValue().equals("none")) {
            return EngineSettings.NO_BOUND;
        }
        return intValue(node, "preemption-bound (0 to 64, or none)", 0, 64);
    }

    /** See {@link ScenarioLoader#duration(Node, String)}. */
    static Duration duration(Node node, String what) {
        String s = string(node, what);
        try {
            return parseDuration(s);
        } catch (IllegalArgumentException e) {
            throw ScenarioException.at(node, what + ": " + e.getMessage());
        }
    }

    /** See {@link ScenarioLoader#parseDuration(String)}. */
    static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + Echo.cut(s) + "' is not a duration (e.g. 500ms, 30s, 2m)");
        }
        long v = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(v);
            case "m" -> Duration.ofMinutes(v);
            default -> Duration.ofSeconds(v);
        };
        if (d.isZero() || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("'" + Echo.cut(s) + "' must be more than 0 and at most a day");
        }
        return d;
    }

    /** {@code engine: schedule:}, checked against the grammar (the fit to the scenario is checked at replay). */
    private static String schedule(Node node) {
        String s = string(node, "schedule");
        try {
            org.mmemu.engine.Schedule.parse(s);
        } catch (IllegalArgumentException e) {
            throw ScenarioException.at(node, "schedule: "
                    + YamlScreen.oneLine(Echo.cut(String.valueOf(e.getMessage()))));
        }
        return s;
    }
}
