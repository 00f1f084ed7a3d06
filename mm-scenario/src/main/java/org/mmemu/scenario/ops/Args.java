package org.mmemu.scenario.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mmemu.core.page.ZoneType;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The arguments of one operation as the file gave them, in any of the three forms of the issue:
 * a list ({@code pagevec_release: [P, Q]}), a single scalar ({@code put_page: P}) or a map
 * ({@code shrink_cache: { zone: Normal, nr: 1 }}); or none ({@code - lru_add_drain}).
 *
 * <p>An operation asks for each parameter by name and position; a list or scalar answers by
 * position, a map by name. {@link #done()} then rejects whatever was not asked for, so a
 * misspelt argument is an error and never silently ignored.
 */
public final class Args {
    private final String op;
    private final Node at;
    private final Scope scope;
    private final List<Node> positional;
    private final Map<String, Node> named;
    private final Map<String, Node> namedKeys;
    private final Set<String> asked = new LinkedHashSet<>();
    private int positionsAsked;

    private Args(String op, Node at, Scope scope, List<Node> positional, Map<String, Node> named,
                 Map<String, Node> namedKeys) {
        this.op = op;
        this.at = at;
        this.scope = scope;
        this.positional = positional;
        this.named = named;
        this.namedKeys = namedKeys;
    }

    /**
     * The arguments {@code value} of operation {@code op} named at {@code nameNode}; {@code value}
     * is null when the operation was given as a bare name.
     */
    public static Args of(String op, Node nameNode, Node value, Scope scope) {
        if (value == null || Yaml.isNull(value)) {
            return new Args(op, nameNode, scope, List.of(), Map.of(), Map.of());
        }
        if (value instanceof SequenceNode s) {
            return new Args(op, nameNode, scope, new ArrayList<>(s.getValue()), Map.of(), Map.of());
        }
        if (value instanceof MappingNode) {
            return new Args(op, nameNode, scope, List.of(), new LinkedHashMap<>(Yaml.namedEntries(value,
                    "the arguments of " + op)), Yaml.keyNodes(value));
        }
        return new Args(op, nameNode, scope, List.of(value), Map.of(), Map.of());
    }

    /** The operation's name. */
    public String op() {
        return op;
    }

    /** {@code file:line:column} of the operation. */
    public String where() {
        return ScenarioException.where(at);
    }

    /** The scope names are checked against. */
    public Scope scope() {
        return scope;
    }

    /** An error at the operation itself. */
    public ScenarioException error(String problem) {
        return ScenarioException.at(at, op + ": " + problem);
    }

    /** Parameter {@code name}, at position {@code pos} in the list form, if given. */
    public Optional<Node> arg(String name, int pos) {
        asked.add(name);
        positionsAsked = Math.max(positionsAsked, pos + 1);
        if (!named.isEmpty()) {
            return Optional.ofNullable(named.get(name));
        }
        return pos < positional.size() ? Optional.of(positional.get(pos)) : Optional.empty();
    }

    /** Parameter {@code name}, which must be given. */
    public Node required(String name, int pos) {
        return arg(name, pos).orElseThrow(() -> error("missing argument '" + name + "'"));
    }

    /** A page defined in {@code pages:} or bound earlier in this program. */
    public PageRef page(String name, int pos) {
        return pageAt(required(name, pos));
    }

    private PageRef pageAt(Node n) {
        String p = Yaml.string(n, op + ": a page");
        if (!scope.knows(p)) {
            throw ScenarioException.at(n, op + ": undefined page '" + p + "' (defined: "
                    + (scope.declared().isEmpty() ? "none" : String.join(", ", scope.declared())) + ")");
        }
        return new PageRef(p, ScenarioException.where(n));
    }

    /**
     * Pages, {@code min} to {@code max} of them: every element of the list form, or the list
     * under {@code name} in the map form.
     */
    public List<PageRef> pages(String name, int min, int max) {
        asked.add(name);
        List<Node> nodes;
        if (!named.isEmpty()) {
            Node n = named.get(name);
            if (n == null) {
                throw error("missing argument '" + name + "'");
            }
            nodes = n instanceof SequenceNode ? Yaml.list(n, op + ": " + name) : List.of(n);
        } else {
            nodes = positional;
            positionsAsked = positional.size();
        }
        if (nodes.size() < min || nodes.size() > max) {
            throw error("takes " + min + " to " + max + " pages, not " + nodes.size());
        }
        List<PageRef> out = new ArrayList<>();
        for (Node n : nodes) {
            out.add(pageAt(n));
        }
        return out;
    }

    /** An integer parameter in {@code [min, max]}, {@code def} when not given. */
    public int integer(String name, int pos, int def, int min, int max) {
        return arg(name, pos).map(n -> Yaml.intValue(n, op + ": " + name, min, max)).orElse(def);
    }

    /** A name parameter, {@code def} when not given (null: required). */
    public String string(String name, int pos, String def) {
        Optional<Node> n = arg(name, pos);
        if (n.isEmpty()) {
            if (def == null) {
                throw error("missing argument '" + name + "'");
            }
            return def;
        }
        return Yaml.string(n.get(), op + ": " + name);
    }

    /** A zone of this machine, {@code def} when not given. */
    public ZoneType zone(String name, int pos, ZoneType def) {
        Optional<Node> n = arg(name, pos);
        if (n.isEmpty()) {
            if (def == null) {
                throw error("missing argument '" + name + "'");
            }
            if (!scope.hasZone(def)) {
                throw error("the machine has no " + def.label() + " zone; give " + name + ":");
            }
            return def;
        }
        String z = Yaml.string(n.get(), op + ": " + name);
        ZoneType t;
        try {
            t = ZoneType.byLabel(z);
        } catch (IllegalArgumentException e) {
            throw ScenarioException.at(n.get(), op + ": " + e.getMessage());
        }
        if (!scope.hasZone(t)) {
            throw ScenarioException.at(n.get(), op + ": the machine has no " + t.label() + " zone");
        }
        return t;
    }

    /**
     * A new page name this operation binds ({@code as: Q}), or null when not given: it must not
     * name a page already known, and later operations of the same program may use it.
     */
    public String binding(String name) {
        asked.add(name);
        Node n = named.get(name);
        if (n == null) {
            return null;
        }
        String p = Yaml.string(n, op + ": " + name);
        if (scope.taken(p)) {
            throw ScenarioException.at(n, op + ": page '" + p + "' is already defined");
        }
        scope.bind(p);
        return p;
    }

    /** The arguments the operation asked for so far, by name, in the order it asked. */
    public Set<String> asked() {
        return java.util.Collections.unmodifiableSet(asked);
    }

    /** Rejects every argument the operation did not ask for. */
    public void done() {
        for (Map.Entry<String, Node> e : named.entrySet()) {
            if (!asked.contains(e.getKey())) {
                String hint = Yaml.didYouMean(e.getKey(), asked);
                throw ScenarioException.at(namedKeys.get(e.getKey()), op + ": unknown argument '" + e.getKey() + "'"
                        + (asked.isEmpty() ? " (it takes none)" : hint.isEmpty()
                                ? " (expected: " + String.join(", ", asked) + ")" : hint));
            }
        }
        if (positional.size() > positionsAsked) {
            throw ScenarioException.at(positional.get(positionsAsked), op + ": too many arguments (at most "
                    + positionsAsked + ")");
        }
    }
}
