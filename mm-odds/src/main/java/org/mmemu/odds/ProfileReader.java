package org.mmemu.odds;

import static org.mmemu.scenario.yaml.Yaml.fields;
import static org.mmemu.scenario.yaml.Yaml.need;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.mmemu.scenario.YamlScreen;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads timing profiles (the format of docs/ODDS.md, "Profile format") into checked
 * {@link TimingProfile}s, as strictly as scenarios are read and with the same safety: the text is
 * composed by mm-scenario's {@link YamlScreen} (no tags, anchors, aliases, one document, size and
 * type checked) and never constructed into objects. Every key, number and name is checked at its
 * node, so a wrong value is one message {@code file:line:column: what is wrong} (a
 * {@link ScenarioException}, which the command line prints as it is, exit status 2).
 */
public final class ProfileReader {
    /** What messages call the files this class reads. */
    static final String KIND = "timing profile";
    /** The most CPUs a profile may have. */
    static final int MAX_CPUS = 64;
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final Set<String> TOP = keys("name", "description", "clock-hz", "cpus", "costs", "jitter",
            "interrupts", "workload");
    private static final Set<String> COSTS = keys("local", "cache-hit", "atomic", "line-transfer", "lock-acquire",
            "lock-release", "spin");
    private static final Set<String> JITTER = keys("probability", "extra-cycles");
    private static final Set<String> SOURCE = keys("name", "cpus", "rate-per-second", "duration");
    private static final Set<String> WORKLOAD = keys("releases-per-second", "isolations-per-second", "lru-pages",
            "pagevec-first-share", "plain-release-share");
    private static final List<String> DISTRIBUTIONS = List.of("fixed", "uniform", "exponential", "table");
    private static final long MAX_CYCLES = 1L << 50;

    private ProfileReader() {
    }

    /** Reads and checks the profile in {@code file}. */
    public static TimingProfile load(Path file) {
        return read(YamlScreen.compose(file, KIND));
    }

    /** Checks the profile in {@code text}, naming it {@code label} in messages. */
    public static TimingProfile parse(String label, String text) {
        return read(YamlScreen.compose(label, text, KIND));
    }

    private static TimingProfile read(Node root) {
        Map<String, Node> top = fields(root, "the profile", TOP);
        String name = Yaml.string(need(top, "name", root, "the profile"), "name");
        String description = Yaml.string(need(top, "description", root, "the profile"), "description");
        double clock = number(need(top, "clock-hz", root, "the profile"), "clock-hz", 1e6, 1e12);
        int cpus = Yaml.intValue(need(top, "cpus", root, "the profile"), "cpus", 1, MAX_CPUS);
        TimingProfile.Costs costs = costs(need(top, "costs", root, "the profile"));
        TimingProfile.Jitter jitter = top.containsKey("jitter") ? jitter(top.get("jitter")) : null;
        List<TimingProfile.InterruptSource> sources = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Node n : Yaml.list(need(top, "interrupts", root, "the profile"), "interrupts")) {
            TimingProfile.InterruptSource s = source(n, cpus);
            if (!names.add(s.name())) {
                throw ScenarioException.at(n, "two interrupt sources named '" + s.name() + "'");
            }
            sources.add(s);
        }
        TimingProfile.Workload workload = workload(need(top, "workload", root, "the profile"));
        return new TimingProfile(name, description, clock, cpus, costs, jitter, sources, workload);
    }

    private static TimingProfile.Costs costs(Node node) {
        Map<String, Node> m = fields(node, "costs", COSTS);
        return new TimingProfile.Costs(cycles(m, "local", node, "costs"), cycles(m, "cache-hit", node, "costs"),
                cycles(m, "atomic", node, "costs"), cycles(m, "line-transfer", node, "costs"),
                cycles(m, "lock-acquire", node, "costs"), cycles(m, "lock-release", node, "costs"),
                Math.max(1, cycles(m, "spin", node, "costs")));
    }

    private static TimingProfile.Jitter jitter(Node node) {
        Map<String, Node> m = fields(node, "jitter", JITTER);
        return new TimingProfile.Jitter(number(need(m, "probability", node, "jitter"), "jitter: probability", 0, 1),
                cycles(m, "extra-cycles", node, "jitter"));
    }

    private static TimingProfile.InterruptSource source(Node node, int cpus) {
        Map<String, Node> m = fields(node, "an interrupt source", SOURCE);
        String name = Yaml.string(need(m, "name", node, "an interrupt source"), "name");
        List<Integer> on = new ArrayList<>();
        for (Node c : Yaml.list(need(m, "cpus", node, "interrupt source " + name), "cpus")) {
            int cpu = Yaml.intValue(c, "a CPU of interrupt source " + name, 0, cpus - 1);
            if (on.contains(cpu)) {
                throw ScenarioException.at(c, "cpu" + cpu + " is named twice");
            }
            on.add(cpu);
        }
        double rate = number(need(m, "rate-per-second", node, "interrupt source " + name),
                "rate-per-second of " + name, 0, 1e9);
        HandlerDuration d = duration(need(m, "duration", node, "interrupt source " + name), name);
        return new TimingProfile.InterruptSource(name, on, rate, d);
    }

    private static HandlerDuration duration(Node node, String source) {
        String what = "the duration of " + source;
        Map<String, Node> m = Yaml.namedEntries(node, what);
        Node kindNode = need(m, "distribution", node, what);
        if (!(kindNode instanceof ScalarNode) || !DISTRIBUTIONS.contains(Yaml.string(kindNode, "distribution"))) {
            throw ScenarioException.at(kindNode, "unknown distribution " + Yaml.describe(kindNode) + " (fixed, uniform,"
                    + " exponential, table)");
        }
        String kind = Yaml.string(kindNode, "distribution");
        return switch (kind) {
            case "fixed" -> {
                fields(node, what, keys("distribution", "cycles"));
                yield new HandlerDuration.Fixed(cycles(m, "cycles", node, what));
            }
            case "uniform" -> {
                fields(node, what, keys("distribution", "min-cycles", "max-cycles"));
                long min = cycles(m, "min-cycles", node, what);
                long max = cycles(m, "max-cycles", node, what);
                if (max <= min) {
                    throw ScenarioException.at(m.get("max-cycles"), "max-cycles must be more than min-cycles (" + min + ")");
                }
                yield new HandlerDuration.Uniform(min, max);
            }
            case "exponential" -> {
                fields(node, what, keys("distribution", "mean-cycles"));
                yield new HandlerDuration.Exponential(number(need(m, "mean-cycles", node, what), "mean-cycles", 1e-9,
                        MAX_CYCLES));
            }
            default -> table(node, m, what);
        };
    }

    private static HandlerDuration table(Node node, Map<String, Node> m, String what) {
        fields(node, what, keys("distribution", "entries"));
        Node entriesNode = need(m, "entries", node, what);
        List<HandlerDuration.Table.Entry> entries = new ArrayList<>();
        for (Node e : Yaml.list(entriesNode, "entries")) {
            Map<String, Node> em = fields(e, "a table entry", keys("cycles", "probability"));
            entries.add(new HandlerDuration.Table.Entry(cycles(em, "cycles", e, "a table entry"),
                    number(need(em, "probability", e, "a table entry"), "probability", 0, 1)));
        }
        try {
            return new HandlerDuration.Table(entries);
        } catch (IllegalArgumentException ex) {
            throw ScenarioException.at(entriesNode, ex.getMessage());
        }
    }

    private static TimingProfile.Workload workload(Node node) {
        Map<String, Node> m = fields(node, "workload", WORKLOAD);
        return new TimingProfile.Workload(
                number(need(m, "releases-per-second", node, "workload"), "releases-per-second", 0, 1e12),
                number(need(m, "isolations-per-second", node, "workload"), "isolations-per-second", 0, 1e12),
                Yaml.integer(need(m, "lru-pages", node, "workload"), "lru-pages", 1, 1L << 40),
                number(need(m, "pagevec-first-share", node, "workload"), "pagevec-first-share", 0, 1),
                number(need(m, "plain-release-share", node, "workload"), "plain-release-share", 0, 1));
    }

    private static long cycles(Map<String, Node> m, String key, Node at, String what) {
        return Yaml.integer(need(m, key, at, what), key, 0, MAX_CYCLES);
    }

    /**
     * {@code node} as a decimal number in [min, max] (a rate, a share, a clock): read from the
     * scalar's text, so {@code 1e9} and {@code 0.02} are what the file says, and a negative rate is
     * reported at its node.
     */
    static double number(Node node, String what, double min, double max) {
        if (!(node instanceof ScalarNode s) || !DECIMAL.matcher(s.getValue()).matches()) {
            throw ScenarioException.at(node, what + " must be a number, not " + Yaml.describe(node));
        }
        BigDecimal v = new BigDecimal(s.getValue().startsWith("+") ? s.getValue().substring(1) : s.getValue());
        if (v.signum() < 0 && min >= 0) {
            throw ScenarioException.at(node, what + " must not be negative, not " + s.getValue());
        }
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw ScenarioException.at(node, what + " " + Yaml.describe(node) + " is out of range (" + min + ".." + max + ")");
        }
        return d;
    }

    private static Set<String> keys(String... ks) {
        return new LinkedHashSet<>(List.of(ks));
    }
}
