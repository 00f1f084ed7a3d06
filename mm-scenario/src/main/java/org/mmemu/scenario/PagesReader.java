package org.mmemu.scenario;

import static org.mmemu.scenario.yaml.Yaml.bool;
import static org.mmemu.scenario.yaml.Yaml.fields;
import static org.mmemu.scenario.yaml.Yaml.intValue;
import static org.mmemu.scenario.yaml.Yaml.string;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mmemu.core.page.PageFlags;
import org.mmemu.core.page.ZoneType;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * {@code pages:}: the named pages and their starting state, refusing every state no kernel path
 * produces; and {@code watch:}, the pages whose state the traces show.
 */
final class PagesReader {
    static final Set<String> KEYS = SectionSupport.keys("zone", "count", "lru", "mapping", "flags", "private", "dirty",
            "mapped");

    private PagesReader() {
    }

    static Map<String, PageSpec> read(Node node, MachineSpec machine) {
        if (Yaml.isNull(node)) {
            return Map.of();
        }
        Map<String, Node> entries = Yaml.namedEntries(node, "pages");
        Map<String, Node> keyNodes = Yaml.keyNodes(node);
        Map<String, PageSpec> out = new LinkedHashMap<>();
        Map<ZoneType, Integer> used = new EnumMap<>(ZoneType.class);
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            Node keyNode = keyNodes.get(e.getKey());
            if (!SectionSupport.NAME.matcher(e.getKey()).matches()) {
                throw ScenarioException.at(keyNode, "page name '" + e.getKey() + "' must be a word of letters, digits, - and _");
            }
            PageSpec p = page(e.getKey(), e.getValue(), machine);
            int n = used.merge(p.zone(), 1, Integer::sum);
            if (n > machine.zones().get(p.zone())) {
                throw ScenarioException.at(keyNode, "more pages in zone " + p.zone().label() + " than it has ("
                        + machine.zones().get(p.zone()) + ")");
            }
            out.put(e.getKey(), p);
        }
        return out;
    }

    /** One page's keys, as written, before the checks and the flags they imply. */
    private record Raw(String what, Map<String, Node> f, int count, LruList lru, String mapping,
            Map<Integer, Node> flagNodes, long privateData, boolean dirty, boolean mapped) {
        Set<Integer> flags() {
            return flagNodes.keySet();
        }
    }

    private static PageSpec page(String name, Node node, MachineSpec machine) {
        String what = "page " + name;
        Map<String, Node> f = fields(node, what, KEYS);
        ZoneType zone = zone(what, f, node, machine);
        int count = f.containsKey("count") ? intValue(f.get("count"), what + ": count", 0, ScenarioLoader.MAX_COUNT) : 1;
        LruList lru = LruList.NONE;
        if (f.containsKey("lru")) {
            lru = LruList.byLabel(Yaml.choice(f.get("lru"), what + ": lru", List.of("none", "active", "inactive")));
        }
        String mapping = mapping(what, f);
        Map<Integer, Node> flagNodes = flags(what, f);
        long privateData = 0;
        if (f.containsKey("private")) {
            Node pn = f.get("private");
            privateData = pn instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)
                    ? (bool(pn, what + ": private") ? 1 : 0)
                    : Yaml.integer(pn, what + ": private", 0, Integer.MAX_VALUE);
        }
        boolean dirty = f.containsKey("dirty") && bool(f.get("dirty"), what + ": dirty");
        boolean mapped = f.containsKey("mapped") && bool(f.get("mapped"), what + ": mapped");
        Raw raw = new Raw(what, f, count, lru, mapping, flagNodes, privateData, dirty, mapped);
        refuseImpossible(raw, machine);
        Set<Integer> flags = new HashSet<>(raw.flags());
        if (dirty) {
            flags.add(PageFlags.PG_dirty);
        }
        if (privateData != 0) {
            flags.add(PageFlags.PG_private);
        }
        if (lru != LruList.NONE) {
            flags.add(PageFlags.PG_lru);
        }
        if (lru == LruList.ACTIVE) {
            flags.add(PageFlags.PG_active);
        }
        return new PageSpec(name, zone, count, lru, mapping, flags, privateData, dirty, mapped,
                ScenarioException.where(node));
    }

    private static ZoneType zone(String what, Map<String, Node> f, Node node, MachineSpec machine) {
        if (!f.containsKey("zone")) {
            if (machine.zones().size() == 1) {
                return machine.zones().keySet().iterator().next();
            }
            throw ScenarioException.at(node, what + ": give its zone (the machine has several)");
        }
        Node zn = f.get("zone");
        ZoneType zone;
        try {
            zone = ZoneType.byLabel(string(zn, what + ": zone"));
        } catch (IllegalArgumentException ex) {
            throw ScenarioException.at(zn, what + ": " + ex.getMessage());
        }
        if (!machine.zones().containsKey(zone)) {
            throw ScenarioException.at(zn, what + ": the machine has no " + zone.label() + " zone");
        }
        return zone;
    }

    /** {@code mapping:} a name, or null for none. */
    private static String mapping(String what, Map<String, Node> f) {
        if (!f.containsKey("mapping")) {
            return null;
        }
        String m = string(f.get("mapping"), what + ": mapping");
        if (m.equals("none")) {
            return null;
        }
        if (!SectionSupport.NAME.matcher(m).matches()) {
            throw ScenarioException.at(f.get("mapping"), what + ": mapping must be none or a name, not '" + m + "'");
        }
        return m;
    }

    /** {@code flags:} each flag bit with the node that names it. */
    private static Map<Integer, Node> flags(String what, Map<String, Node> f) {
        Map<Integer, Node> flagNodes = new TreeMap<>();
        if (!f.containsKey("flags")) {
            return flagNodes;
        }
        for (Node fn : Yaml.list(f.get("flags"), what + ": flags")) {
            String s = string(fn, what + ": a flag");
            int bit = s.startsWith("PG_") ? PageFlags.byName(s) : -1;
            if (bit < 0) {
                throw ScenarioException.at(fn, what + ": unknown page flag '" + s + "' (PG_locked, PG_referenced,"
                        + " PG_dirty, PG_lru, PG_active, PG_private, PG_reserved, ...)");
            }
            if (flagNodes.containsKey(bit)) {
                throw ScenarioException.at(fn, what + ": flag " + s + " given twice");
            }
            flagNodes.put(bit, fn);
        }
        return flagNodes;
    }

    /** The impossible states: each one a state no kernel path produces. */
    private static void refuseImpossible(Raw p, MachineSpec machine) {
        String what = p.what();
        Map<Integer, Node> fl = p.flagNodes();
        if (fl.containsKey(PageFlags.PG_lru) && p.lru() == LruList.NONE) {
            throw ScenarioException.at(fl.get(PageFlags.PG_lru), what
                    + ": PG_lru without a list (give lru: active or inactive)");
        }
        if (fl.containsKey(PageFlags.PG_active) && p.lru() != LruList.ACTIVE) {
            throw ScenarioException.at(fl.get(PageFlags.PG_active), what
                    + ": PG_active on a page that is not on the active list");
        }
        if (fl.containsKey(PageFlags.PG_dirty) && p.f().containsKey("dirty") && !p.dirty()) {
            throw ScenarioException.at(p.f().get("dirty"), what + ": dirty: false but PG_dirty in flags");
        }
        if (fl.containsKey(PageFlags.PG_private) && p.privateData() == 0) {
            throw ScenarioException.at(fl.get(PageFlags.PG_private), what
                    + ": PG_private needs private: (the buffers it stands for)");
        }
        if (fl.containsKey(PageFlags.PG_reserved) && p.lru() != LruList.NONE) {
            throw ScenarioException.at(fl.get(PageFlags.PG_reserved), what + ": a reserved page is never on the LRU");
        }
        if (fl.containsKey(PageFlags.PG_slab) && p.lru() != LruList.NONE && !machine.slabOnLru()) {
            throw ScenarioException.at(fl.get(PageFlags.PG_slab), what
                    + ": a slab page on the LRU needs machine: slab-on-lru: true");
        }
        refuseCountZero(p);
    }

    private static void refuseCountZero(Raw p) {
        if (p.count() != 0) {
            return;
        }
        Node at = p.f().get("count");
        if (p.mapping() != null) {
            throw ScenarioException.at(at, p.what() + ": a page cache page holds the cache's reference, so its"
                    + " count cannot be 0");
        }
        if (p.mapped()) {
            throw ScenarioException.at(at, p.what() + ": a mapped page holds its mappers' references, so its"
                    + " count cannot be 0");
        }
        if (p.lru() == LruList.NONE) {
            throw ScenarioException.at(at, p.what() + ": count 0 on no list is a free page; leave it out, or"
                    + " allocate it with alloc_pages");
        }
    }

    /** {@code watch:} page names, each declared in pages: or bound by an operation's {@code as:}. */
    static List<String> watch(Node node, Set<String> declared, Set<String> bound) {
        List<String> out = new ArrayList<>();
        for (Node n : Yaml.list(node, "watch")) {
            String p = string(n, "watch: a page");
            if (!declared.contains(p) && !bound.contains(p)) {
                throw ScenarioException.at(n, "watch: no page named '" + Echo.cut(p) + "' in pages: or an"
                        + " operation's as:");
            }
            if (out.contains(p)) {
                throw ScenarioException.at(n, "watch: page " + p + " listed twice");
            }
            out.add(p);
        }
        return out;
    }
}
