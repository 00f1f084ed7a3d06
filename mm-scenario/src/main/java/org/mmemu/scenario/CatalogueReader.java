package org.mmemu.scenario;

import static org.mmemu.scenario.SectionSupport.need;
import static org.mmemu.scenario.yaml.Yaml.string;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code catalogue:}: a catalogue entry ({@link CatalogueEntry}). Both kernels must be mirrored,
 * and the fixed kernel's search must be one that could have found the race: {@code dpor} with no
 * preemption bound (it covers every trace, delays anywhere), or the exhaustive {@code irq}
 * search at preemption bound 2 or more. A weaker search would call a kernel clean only because
 * it never looked where the race is, which is the claim a catalogue exists to make honestly.
 */
final class CatalogueReader {
    static final Set<String> KEYS = SectionSupport.keys("entry", "title", "commit", "date", "author", "words",
            "expect", "buggy", "fixed", "fixed-search");
    static final Set<String> SEARCH_KEYS = SectionSupport.keys("policy", "delays", "preemption-bound");
    /** The least preemption bound at which the {@code irq} search judges a fixed kernel. */
    static final int LEAST_IRQ_BOUND = 2;
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private CatalogueReader() {
    }

    static CatalogueEntry read(Node node) {
        Map<String, Node> f = Yaml.fields(node, "catalogue", KEYS);
        String what = "catalogue";
        Node entryNode = need(f, "entry", node, what);
        String entry = string(entryNode, "catalogue: entry");
        if (!ENTRY.matcher(entry).matches()) {
            throw ScenarioException.at(entryNode, "catalogue: entry '" + Echo.cut(entry)
                    + "' must be a word of letters, digits, - and _");
        }
        Node commitNode = need(f, "commit", node, what);
        String commit = string(commitNode, "catalogue: commit");
        if (!COMMIT.matcher(commit).matches()) {
            throw ScenarioException.at(commitNode, "catalogue: commit '" + Echo.cut(commit)
                    + "' must be a full commit id, 40 lower-case hex digits");
        }
        FindingKind expect = kind(need(f, "expect", node, what));
        String buggy = kernel(need(f, "buggy", node, what), "buggy");
        String fixed = kernel(need(f, "fixed", node, what), "fixed");
        EngineSettings search = f.containsKey("fixed-search") ? search(f.get("fixed-search")) : defaultSearch();
        return new CatalogueEntry(entry, text(f, "title", node), commit, text(f, "date", node),
                text(f, "author", node), text(f, "words", node), expect, buggy, fixed, search);
    }

    /** The search a fixed kernel gets when the entry names none: dpor, delays anywhere, no bound. */
    static EngineSettings defaultSearch() {
        return new EngineSettings("dpor", EngineSettings.NO_BOUND, "anywhere", null, null, null, null, null);
    }

    private static String text(Map<String, Node> f, String key, Node at) {
        return string(need(f, key, at, "catalogue"), "catalogue: " + key);
    }

    private static FindingKind kind(Node node) {
        String id = string(node, "catalogue: expect");
        try {
            return FindingKind.byId(id);
        } catch (IllegalArgumentException e) {
            List<String> ids = java.util.Arrays.stream(FindingKind.values()).map(FindingKind::id).toList();
            throw ScenarioException.at(node, "catalogue: expect: unknown finding kind '" + Echo.cut(id)
                    + "' (expected one of: " + String.join(", ", ids) + ")");
        }
    }

    /** A kernel of {@link Kernels}, mirrored, normalised to its name (not an alias). */
    private static String kernel(Node node, String key) {
        String v = string(node, "catalogue: " + key);
        Kernels.Kernel k;
        try {
            k = Kernels.byName(v);
        } catch (IllegalArgumentException e) {
            throw ScenarioException.at(node, "catalogue: " + key + ": " + e.getMessage());
        }
        Optional<String> why = Kernels.check(k, null);
        if (why.isPresent()) {
            throw ScenarioException.at(node, "catalogue: " + key + ": " + why.get());
        }
        return k.name();
    }

    /** {@code fixed-search:}, what it leaves out from {@link #defaultSearch()}, checked to be strong enough. */
    private static EngineSettings search(Node node) {
        Map<String, Node> f = Yaml.fields(node, "catalogue: fixed-search", SEARCH_KEYS);
        EngineSettings d = defaultSearch();
        String policy = f.containsKey("policy")
                ? Yaml.choice(f.get("policy"), "catalogue: fixed-search: policy", List.of("dpor", "exhaustive"))
                : d.policy();
        String delays = f.containsKey("delays")
                ? Yaml.choice(f.get("delays"), "catalogue: fixed-search: delays", EngineSettings.DELAYS) : d.delays();
        Integer bound = f.containsKey("preemption-bound") ? bound(f.get("preemption-bound")) : null;
        if (policy.equals("dpor")) {
            if (!delays.equals("anywhere") || (bound != null && bound != EngineSettings.NO_BOUND)) {
                throw ScenarioException.at(node, "catalogue: fixed-search: dpor judges a fixed kernel only with delays:"
                        + " anywhere and no preemption bound (preemption-bound: none), so that it could have found the"
                        + " race anywhere");
            }
            return d;
        }
        if (!delays.equals("irq") || bound == null || bound == EngineSettings.NO_BOUND || bound < LEAST_IRQ_BOUND) {
            throw ScenarioException.at(node, "catalogue: fixed-search: the exhaustive search judges a fixed kernel"
                    + " only with delays: irq and preemption-bound " + LEAST_IRQ_BOUND + " or more (a weaker search"
                    + " could miss the race); or use policy: dpor");
        }
        return new EngineSettings(policy, bound, delays, null, null, null, null, null);
    }

    private static int bound(Node node) {
        String v = string(node, "catalogue: fixed-search: preemption-bound");
        try {
            return EngineSettings.parseBound(v);
        } catch (IllegalArgumentException e) {
            throw ScenarioException.at(node, "catalogue: fixed-search: " + e.getMessage());
        }
    }
}
