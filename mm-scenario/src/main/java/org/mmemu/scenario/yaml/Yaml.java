package org.mmemu.scenario.yaml;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed, strict reads of composed YAML nodes. Every read either returns a value of the asked
 * type or throws a {@link ScenarioException} at the node's position, so the scenario model is
 * never built from a value the file did not really say.
 *
 * <p>Numbers are read from the scalar's text (decimal only), through {@link BigInteger}, so a
 * number too large for any field is reported as out of range rather than wrapped or rounded.
 */
public final class Yaml {
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");

    private Yaml() {
    }

    /** A short description of what {@code node} is, for messages: "a list", "the string 'x'". */
    public static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        if (isNull(node)) {
            return "nothing";
        }
        String v = s.getValue();
        if (v.length() > 40) {
            v = v.substring(0, 37) + "...";
        }
        return "'" + v + "'";
    }

    /** Whether {@code node} is an empty or {@code null}/{@code ~} scalar. */
    public static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** {@code node} as a map of string keys, each key allowed by {@code allowed}; in file order. */
    public static Map<String, Node> fields(Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode m)) {
            throw ScenarioException.at(node, what + " must be a map, not " + describe(node));
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks) || isNull(k)) {
                throw ScenarioException.at(k, "keys of " + what + " must be plain names, not " + describe(k));
            }
            String key = ks.getValue();
            if (!allowed.isEmpty() && !allowed.contains(key)) {
                String hint = didYouMean(key, allowed);
                throw ScenarioException.at(k, "unknown key '" + key + "' in " + what + (hint.isEmpty()
                        ? " (expected one of: " + String.join(", ", allowed) + ")" : hint));
            }
            if (out.containsKey(key)) {
                throw ScenarioException.at(k, "duplicate key '" + key + "' in " + what);
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    /** {@code " (did you mean 'x'?)"} for the closest of {@code known} within two edits, else "". */
    public static String didYouMean(String word, java.util.Collection<String> known) {
        String best = null;
        int bestD = 3;
        for (String k : known) {
            int d = distance(word, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best == null ? "" : ", did you mean '" + best + "'?";
    }

    /** Levenshtein distance, for suggestions. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** {@code m}'s {@code key}, which {@code what} (at {@code at}) must have: else an error at {@code at}. */
    public static Node need(Map<String, Node> m, String key, Node at, String what) {
        Node n = m.get(key);
        if (n == null) {
            throw ScenarioException.at(at, what + " has no '" + key + ":'");
        }
        return n;
    }

    /** {@code node} as a map with any plain keys (names chosen by the file, e.g. pages). */
    public static Map<String, Node> namedEntries(Node node, String what) {
        return fields(node, what, Set.of());
    }

    /** The key nodes of a map, for positions of names the file chose. */
    public static Map<String, Node> keyNodes(Node node) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            out.put(((ScalarNode) t.getKeyNode()).getValue(), t.getKeyNode());
        }
        return out;
    }

    /** {@code node} as a list. */
    public static List<Node> list(Node node, String what) {
        if (!(node instanceof SequenceNode s)) {
            throw ScenarioException.at(node, what + " must be a list, not " + describe(node));
        }
        return new ArrayList<>(s.getValue());
    }

    /** {@code node} as a non-empty string. */
    public static String string(Node node, String what) {
        if (!(node instanceof ScalarNode s) || isNull(node)) {
            throw ScenarioException.at(node, what + " must be a name, not " + describe(node));
        }
        if (s.getValue().isBlank()) {
            throw ScenarioException.at(node, what + " must not be empty");
        }
        return s.getValue();
    }

    /** {@code node} as an integer in {@code [min, max]}. */
    public static long integer(Node node, String what, long min, long max) {
        if (!(node instanceof ScalarNode s) || !INTEGER.matcher(s.getValue()).matches()) {
            throw ScenarioException.at(node, what + " must be a whole number, not " + describe(node));
        }
        BigInteger v = new BigInteger(s.getValue().startsWith("+") ? s.getValue().substring(1) : s.getValue());
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            String shown = s.getValue().length() > 24 ? s.getValue().substring(0, 21) + "..." : s.getValue();
            throw ScenarioException.at(node, what + " " + shown + " is out of range (" + min + ".." + max + ")");
        }
        return v.longValue();
    }

    /** {@code node} as an int in {@code [min, max]}. */
    public static int intValue(Node node, String what, int min, int max) {
        return (int) integer(node, what, min, max);
    }

    /** {@code node} as {@code true} or {@code false}. */
    public static boolean bool(Node node, String what) {
        if (node instanceof ScalarNode s && Tag.BOOL.equals(node.getTag())) {
            return Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT));
        }
        throw ScenarioException.at(node, what + " must be true or false, not " + describe(node));
    }

    /** {@code node} as one of {@code choices} (exact spelling). */
    public static String choice(Node node, String what, List<String> choices) {
        String v = string(node, what);
        if (!choices.contains(v)) {
            throw ScenarioException.at(node, what + " '" + v + "' is not one of: " + String.join(", ", choices));
        }
        return v;
    }
}
