package org.mmemu.scenario;

import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import static org.mmemu.scenario.yaml.Yaml.bool;
import static org.mmemu.scenario.yaml.Yaml.fields;
import static org.mmemu.scenario.yaml.Yaml.intValue;
import static org.mmemu.scenario.yaml.Yaml.string;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.page.PageFlags;
import org.mmemu.core.page.ZoneType;
import org.mmemu.scenario.ops.Args;
import org.mmemu.scenario.ops.OperationRegistry;
import org.mmemu.scenario.ops.OperationType;
import org.mmemu.scenario.ops.Scope;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.DocumentStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads scenario files (the format of issue 7) into checked {@link Scenario}s.
 *
 * <p><b>Safety.</b> The file is composed into YAML nodes with snakeyaml-engine and never
 * constructed into objects, so no type it names can be instantiated; on top of that a first
 * pass over the parser's events rejects every explicit tag ({@code !!java.io.File},
 * {@code !!str} alike), anchors and aliases (no billion laughs, no recursive nodes), and more
 * than one document. Files over {@link #MAX_BYTES}, files that are not UTF-8 text and files
 * with NUL bytes are refused before YAML sees them.
 *
 * <p><b>Strictness.</b> Every key, operation, page name and number is checked here, with the
 * position of the node that is wrong, so that everything after loading can trust the model.
 */
public final class ScenarioLoader {
    /** The largest file read: scenarios are a page or two; anything bigger is a mistake. */
    public static final int MAX_BYTES = 1 << 20;
    /** The deepest nesting of lists and maps: scenarios need five; the parser recurses per level. */
    public static final int MAX_DEPTH = 32;
    /** The most pages a zone may have in a scenario (4 GiB of 4 KiB pages). */
    public static final int MAX_ZONE_PAGES = 1 << 20;
    /** The largest count a page may start with. */
    public static final int MAX_COUNT = 1 << 20;

    private static final Set<String> TOP = keys("name", "description", "machine", "pages", "programs",
            "interrupts", "engine", "expect", "json", "watch");
    private static final Set<String> MACHINE = keys("cpus", "zones", "protocol", "slab-on-lru", "filler",
            "swap-cluster-max");
    private static final Set<String> FILLER = keys("inactive", "active");
    private static final Set<String> PAGE = keys("zone", "count", "lru", "mapping", "flags", "private", "dirty",
            "mapped");
    private static final Set<String> INTERRUPT = keys("steps", "max", "handler");
    private static final Set<String> ENGINE = keys("policy", "preemption-bound", "delays", "seed", "skew",
            "max-schedules", "time-limit", "schedule");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
    private static final Pattern CPU = Pattern.compile("cpu([0-9]{1,3})");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)?");

    private final OperationRegistry operations;
    private final Set<String> protocols;

    /** Every key a file may use, by section (for docs/SCENARIOS.md and the test that keeps it in step). */
    public static Map<String, Set<String>> keys() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("top", TOP);
        m.put("machine", MACHINE);
        m.put("page", PAGE);
        m.put("interrupt", INTERRUPT);
        m.put("engine", ENGINE);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** A loader that knows {@code operations} and the protocols named {@code protocols}. */
    public ScenarioLoader(OperationRegistry operations, Collection<String> protocols) {
        this.operations = operations;
        this.protocols = new LinkedHashSet<>(protocols);
    }

    private static Set<String> keys(String... ks) {
        return new LinkedHashSet<>(List.of(ks));
    }

    // ---- text -----------------------------------------------------------------------

    /**
     * Reads and checks the scenario in {@code file}. The file's type is checked before it is
     * opened (a device, FIFO or socket could block or never end) and at most
     * {@link #MAX_BYTES} + 1 bytes are read whatever its size claims, so no input can hang the
     * tool or exhaust its memory.
     */
    public Scenario load(Path file) {
        String label = Echo.cut(file.toString());
        byte[] bytes;
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file,
                    java.nio.file.attribute.BasicFileAttributes.class);
            if (a.isDirectory()) {
                throw new ScenarioException(label, "is a directory, not a scenario file");
            }
            if (!a.isRegularFile()) {
                throw new ScenarioException(label, "is a device, FIFO or socket, not a scenario file");
            }
            if (a.size() > MAX_BYTES) {
                throw new ScenarioException(label, "file is larger than " + MAX_BYTES + " bytes");
            }
            try (java.io.InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw new ScenarioException(label, "no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ScenarioException(label, "permission denied");
        } catch (IOException e) {
            throw new ScenarioException(label, "cannot read: " + Echo.cut(e.getMessage()));
        }
        return parse(label, bytes);
    }

    /** Checks the scenario in {@code bytes}, naming it {@code label} in messages. */
    public Scenario parse(String label, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new ScenarioException(label, "file is larger than " + MAX_BYTES + " bytes");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new ScenarioException(label, "binary data (a NUL byte at offset " + i + "), not a YAML scenario");
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ScenarioException(label, "not UTF-8 text (binary data?), not a YAML scenario");
        }
        return parse(label, text);
    }

    /** Checks the scenario in {@code text}, naming it {@code label} in messages. */
    public Scenario parse(String label, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false).setMaxAliasesForCollections(0).setCodePointLimit(MAX_BYTES)
                .setUseMarks(true).build();
        Node root;
        try {
            screen(label, settings, text);
            root = new Compose(settings).composeString(text)
                    .orElseThrow(() -> new ScenarioException(label, "empty scenario file"));
        } catch (MarkedYamlEngineException e) {
            Optional<org.snakeyaml.engine.v2.exceptions.Mark> m = e.getProblemMark().isPresent()
                    ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() == null ? "bad YAML" : e.getProblem();
            if (e.getContext() != null && !e.getContext().isBlank()) {
                problem = e.getContext() + ": " + problem;
            }
            throw ScenarioException.at(label, m, "bad YAML: " + oneLine(problem));
        } catch (org.snakeyaml.engine.v2.exceptions.ReaderException e) {
            throw new ScenarioException(position(label, text, e.getPosition()), "bad YAML: a control character (code "
                    + e.getCodePoint() + ") is not allowed in a scenario file (binary data?)");
        } catch (YamlEngineException e) {
            throw new ScenarioException(label, "bad YAML: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (Yaml.isNull(root)) {
            throw new ScenarioException(label, "empty scenario file");
        }
        return read(label, root);
    }

    /** {@code label:line:column} of code point {@code index} of {@code text}. */
    private static String position(String label, String text, int index) {
        int line = 1;
        int col = 1;
        int i = 0;
        for (int cp = 0; cp < index && i < text.length(); cp++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return label + ":" + line + ":" + col;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** The event pass: no tags, no anchors or aliases, one document. */
    private static void screen(String label, LoadSettings settings, String text) {
        int documents = 0;
        int depth = 0;
        for (Event ev : new Parse(settings).parseString(text)) {
            if (ev instanceof CollectionStartEvent && ++depth > MAX_DEPTH) {
                throw ScenarioException.at(label, ev.getStartMark(), "lists and maps nested more than " + MAX_DEPTH
                        + " deep");
            }
            if (ev instanceof org.snakeyaml.engine.v2.events.CollectionEndEvent) {
                depth--;
            }
            if (ev instanceof DocumentStartEvent && ++documents > 1) {
                throw ScenarioException.at(label, ev.getStartMark(), "more than one YAML document in a scenario file");
            }
            if (ev instanceof AliasEvent) {
                throw ScenarioException.at(label, ev.getStartMark(), "YAML aliases (*name) are not allowed in scenarios");
            }
            if (ev instanceof NodeEvent ne && ne.getAnchor().isPresent()) {
                throw ScenarioException.at(label, ev.getStartMark(), "YAML anchors (&name) are not allowed in scenarios");
            }
            Optional<String> tag = ev instanceof ScalarEvent se ? se.getTag()
                    : ev instanceof CollectionStartEvent ce ? ce.getTag() : Optional.empty();
            if (tag.isPresent()) {
                throw ScenarioException.at(label, ev.getStartMark(), "YAML type tags are not allowed in scenarios ("
                        + tag.get() + ")");
            }
        }
    }

    // ---- sections --------------------------------------------------------------------

    private Scenario read(String label, Node root) {
        if (!(root instanceof MappingNode)) {
            throw ScenarioException.at(root, "a scenario must be a map of sections (name, machine, pages, programs, ...),"
                    + " not " + Yaml.describe(root));
        }
        Map<String, Node> top = fields(root, "the scenario", TOP);
        Node nameNode = need(top, "name", root, "the scenario");
        String name = string(nameNode, "name");
        if (!NAME.matcher(name).matches()) {
            throw ScenarioException.at(nameNode, "name '" + name + "' must be a word of letters, digits, - and _");
        }
        String description = top.containsKey("description") ? string(top.get("description"), "description") : "";
        MachineSpec machine = machine(need(top, "machine", root, "the scenario"));
        Map<String, PageSpec> pages = top.containsKey("pages") ? pages(top.get("pages"), machine) : Map.of();
        Scope scope = new Scope(pages.keySet(), machine.zones().keySet(), machine.cpus());
        Map<Integer, List<OpCall>> programs = programs(need(top, "programs", root, "the scenario"), machine, scope);
        Map<Integer, InterruptDecl> interrupts = top.containsKey("interrupts")
                ? interrupts(top.get("interrupts"), machine, scope) : Map.of();
        EngineSettings engine = top.containsKey("engine") ? engine(top.get("engine")) : EngineSettings.none();
        Expectations expect = top.containsKey("expect") ? expectations(top.get("expect")) : Expectations.none();
        String json = top.containsKey("json") ? string(top.get("json"), "json") : null;
        List<String> watch = top.containsKey("watch") ? watch(top.get("watch"), pages.keySet(), scope.boundInFile())
                : List.of();
        return new Scenario(name, description, label, machine, pages, programs, interrupts, engine, expect, json,
                watch);
    }

    private static Node need(Map<String, Node> m, String key, Node at, String what) {
        Node n = m.get(key);
        if (n == null) {
            throw ScenarioException.at(at, what + " has no '" + key + ":'");
        }
        return n;
    }

    private MachineSpec machine(Node node) {
        Map<String, Node> f = fields(node, "machine", MACHINE);
        int cpus = intValue(need(f, "cpus", node, "machine"), "machine: cpus", 1, 64);
        Node zn = need(f, "zones", node, "machine");
        Map<String, Node> zs = Yaml.namedEntries(zn, "machine: zones");
        Map<String, Node> zkeys = Yaml.keyNodes(zn);
        Map<ZoneType, Integer> zones = new EnumMap<>(ZoneType.class);
        long total = 0;
        for (Map.Entry<String, Node> e : zs.entrySet()) {
            ZoneType t;
            try {
                t = ZoneType.byLabel(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw ScenarioException.at(zkeys.get(e.getKey()), ex.getMessage());
            }
            if (zones.containsKey(t)) {
                throw ScenarioException.at(zkeys.get(e.getKey()), "zone " + t.label() + " given twice");
            }
            int size = intValue(e.getValue(), "zone " + t.label() + " size", 1, MAX_ZONE_PAGES);
            zones.put(t, size);
            total += size;
        }
        if (zones.isEmpty()) {
            throw ScenarioException.at(zn, "machine: zones must name at least one zone (DMA, Normal, HighMem)");
        }
        if (total > MAX_ZONE_PAGES) {
            throw ScenarioException.at(zn, "machine: zones hold " + total + " pages in all, more than " + MAX_ZONE_PAGES);
        }
        String protocol = null;
        if (f.containsKey("protocol")) {
            protocol = Yaml.choice(f.get("protocol"), "protocol", List.copyOf(protocols));
        }
        boolean slabOnLru = f.containsKey("slab-on-lru") && bool(f.get("slab-on-lru"), "machine: slab-on-lru");
        int cluster = f.containsKey("swap-cluster-max")
                ? intValue(f.get("swap-cluster-max"), "machine: swap-cluster-max", 1, 1024) : MachineSpec.SWAP_CLUSTER_MAX;
        Map<ZoneType, MachineSpec.Filler> filler = f.containsKey("filler") ? filler(f.get("filler"), zones)
                : Map.of();
        return new MachineSpec(cpus, zones, protocol, slabOnLru, filler, cluster);
    }

    /**
     * {@code machine: filler: { Normal: 32 }} (32 on the inactive list) or
     * {@code { Normal: { inactive: 32, active: 32 } }}: filler pages behind the named ones.
     */
    private static Map<ZoneType, MachineSpec.Filler> filler(Node node, Map<ZoneType, Integer> zones) {
        Map<String, Node> zs = Yaml.namedEntries(node, "machine: filler");
        Map<String, Node> zkeys = Yaml.keyNodes(node);
        Map<ZoneType, MachineSpec.Filler> out = new EnumMap<>(ZoneType.class);
        for (Map.Entry<String, Node> e : zs.entrySet()) {
            ZoneType t;
            try {
                t = ZoneType.byLabel(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw ScenarioException.at(zkeys.get(e.getKey()), ex.getMessage());
            }
            if (!zones.containsKey(t)) {
                throw ScenarioException.at(zkeys.get(e.getKey()), "machine: filler: the machine has no " + t.label()
                        + " zone");
            }
            String what = "machine: filler: " + t.label();
            int max = zones.get(t);
            MachineSpec.Filler fl;
            if (e.getValue() instanceof MappingNode) {
                Map<String, Node> ff = fields(e.getValue(), what, FILLER);
                int in = ff.containsKey("inactive") ? intValue(ff.get("inactive"), what + ": inactive", 0, max) : 0;
                int ac = ff.containsKey("active") ? intValue(ff.get("active"), what + ": active", 0, max) : 0;
                fl = new MachineSpec.Filler(in, ac);
            } else {
                fl = new MachineSpec.Filler(intValue(e.getValue(), what, 0, max), 0);
            }
            if (fl.inactive() + fl.active() > max) {
                throw ScenarioException.at(e.getValue(), what + ": " + (fl.inactive() + fl.active())
                        + " filler pages, more than the zone's " + max);
            }
            out.put(t, fl);
        }
        return out;
    }

    private Map<String, PageSpec> pages(Node node, MachineSpec machine) {
        if (Yaml.isNull(node)) {
            return Map.of();
        }
        Map<String, Node> entries = Yaml.namedEntries(node, "pages");
        Map<String, Node> keyNodes = Yaml.keyNodes(node);
        Map<String, PageSpec> out = new LinkedHashMap<>();
        Map<ZoneType, Integer> used = new EnumMap<>(ZoneType.class);
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            Node keyNode = keyNodes.get(e.getKey());
            if (!NAME.matcher(e.getKey()).matches()) {
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

    private PageSpec page(String name, Node node, MachineSpec machine) {
        String what = "page " + name;
        Map<String, Node> f = fields(node, what, PAGE);
        ZoneType zone;
        if (f.containsKey("zone")) {
            Node zn = f.get("zone");
            try {
                zone = ZoneType.byLabel(string(zn, what + ": zone"));
            } catch (IllegalArgumentException ex) {
                throw ScenarioException.at(zn, what + ": " + ex.getMessage());
            }
            if (!machine.zones().containsKey(zone)) {
                throw ScenarioException.at(zn, what + ": the machine has no " + zone.label() + " zone");
            }
        } else if (machine.zones().size() == 1) {
            zone = machine.zones().keySet().iterator().next();
        } else {
            throw ScenarioException.at(node, what + ": give its zone (the machine has several)");
        }
        int count = f.containsKey("count") ? intValue(f.get("count"), what + ": count", 0, MAX_COUNT) : 1;
        LruList lru = LruList.NONE;
        if (f.containsKey("lru")) {
            lru = LruList.byLabel(Yaml.choice(f.get("lru"), what + ": lru", List.of("none", "active", "inactive")));
        }
        String mapping = null;
        if (f.containsKey("mapping")) {
            String m = string(f.get("mapping"), what + ": mapping");
            if (!m.equals("none")) {
                if (!NAME.matcher(m).matches()) {
                    throw ScenarioException.at(f.get("mapping"), what + ": mapping must be none or a name, not '" + m + "'");
                }
                mapping = m;
            }
        }
        Set<Integer> flags = new HashSet<>();
        Map<Integer, Node> flagNodes = new TreeMap<>();
        if (f.containsKey("flags")) {
            for (Node fn : Yaml.list(f.get("flags"), what + ": flags")) {
                String s = string(fn, what + ": a flag");
                int bit = s.startsWith("PG_") ? PageFlags.byName(s) : -1;
                if (bit < 0) {
                    throw ScenarioException.at(fn, what + ": unknown page flag '" + s + "' (PG_locked, PG_referenced,"
                            + " PG_dirty, PG_lru, PG_active, PG_private, PG_reserved, ...)");
                }
                if (!flags.add(bit)) {
                    throw ScenarioException.at(fn, what + ": flag " + s + " given twice");
                }
                flagNodes.put(bit, fn);
            }
        }
        long privateData = 0;
        if (f.containsKey("private")) {
            Node pn = f.get("private");
            privateData = pn instanceof ScalarNode s && s.getTag().equals(org.snakeyaml.engine.v2.nodes.Tag.BOOL)
                    ? (bool(pn, what + ": private") ? 1 : 0)
                    : Yaml.integer(pn, what + ": private", 0, Integer.MAX_VALUE);
        }
        boolean dirty = f.containsKey("dirty") && bool(f.get("dirty"), what + ": dirty");
        boolean mapped = f.containsKey("mapped") && bool(f.get("mapped"), what + ": mapped");

        // The impossible states: each one a state no kernel path produces.
        if (flags.contains(PageFlags.PG_lru) && lru == LruList.NONE) {
            throw ScenarioException.at(flagNodes.get(PageFlags.PG_lru), what
                    + ": PG_lru without a list (give lru: active or inactive)");
        }
        if (flags.contains(PageFlags.PG_active) && lru != LruList.ACTIVE) {
            throw ScenarioException.at(flagNodes.get(PageFlags.PG_active), what
                    + ": PG_active on a page that is not on the active list");
        }
        if (flags.contains(PageFlags.PG_dirty) && f.containsKey("dirty") && !dirty) {
            throw ScenarioException.at(f.get("dirty"), what + ": dirty: false but PG_dirty in flags");
        }
        if (flags.contains(PageFlags.PG_private) && privateData == 0) {
            throw ScenarioException.at(flagNodes.get(PageFlags.PG_private), what
                    + ": PG_private needs private: (the buffers it stands for)");
        }
        if (flags.contains(PageFlags.PG_reserved) && lru != LruList.NONE) {
            throw ScenarioException.at(flagNodes.get(PageFlags.PG_reserved), what + ": a reserved page is never on the LRU");
        }
        if (flags.contains(PageFlags.PG_slab) && lru != LruList.NONE && !machine.slabOnLru()) {
            throw ScenarioException.at(flagNodes.get(PageFlags.PG_slab), what
                    + ": a slab page on the LRU needs machine: slab-on-lru: true");
        }
        if (mapping != null && count == 0) {
            throw ScenarioException.at(f.get("count"), what + ": a page cache page holds the cache's reference, so its"
                    + " count cannot be 0");
        }
        if (mapped && count == 0) {
            throw ScenarioException.at(f.get("count"), what + ": a mapped page holds its mappers' references, so its"
                    + " count cannot be 0");
        }
        if (count == 0 && lru == LruList.NONE) {
            throw ScenarioException.at(f.get("count"), what + ": count 0 on no list is a free page; leave it out, or"
                    + " allocate it with alloc_pages");
        }
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

    private Map<Integer, List<OpCall>> programs(Node node, MachineSpec machine, Scope scope) {
        Map<String, Node> entries = Yaml.namedEntries(node, "programs");
        Map<String, Node> keyNodes = Yaml.keyNodes(node);
        Map<Integer, List<OpCall>> out = new TreeMap<>();
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            int cpu = cpuId(e.getKey(), keyNodes.get(e.getKey()), machine, "programs");
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

    private static int cpuId(String key, Node at, MachineSpec machine, String section) {
        Matcher m = CPU.matcher(key);
        if (!m.matches()) {
            throw ScenarioException.at(at, "unknown key '" + key + "' in " + section + " (expected cpu0..cpu"
                    + (machine.cpus() - 1) + ")");
        }
        int id = Integer.parseInt(m.group(1));
        if (id >= machine.cpus()) {
            throw ScenarioException.at(at, key + " but the machine has " + machine.cpus() + " CPU"
                    + (machine.cpus() == 1 ? "" : "s") + " (cpu0..cpu" + (machine.cpus() - 1) + ")");
        }
        return id;
    }

    /** A list of operations, each {@code name}, {@code name: args}. */
    private List<OpCall> operations(Node node, String what, Scope scope) {
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

    private Map<Integer, InterruptDecl> interrupts(Node node, MachineSpec machine, Scope scope) {
        if (Yaml.isNull(node)) {
            return Map.of();
        }
        Map<String, Node> entries = Yaml.namedEntries(node, "interrupts");
        Map<String, Node> keyNodes = Yaml.keyNodes(node);
        Map<Integer, InterruptDecl> out = new TreeMap<>();
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            int cpu = cpuId(e.getKey(), keyNodes.get(e.getKey()), machine, "interrupts");
            String what = "the interrupt of cpu" + cpu;
            Map<String, Node> f = fields(e.getValue(), what, INTERRUPT);
            int max = f.containsKey("max") ? intValue(f.get("max"), what + ": max", 0, 1000) : 1;
            boolean hasSteps = f.containsKey("steps");
            boolean hasHandler = f.containsKey("handler");
            if (hasSteps == hasHandler) {
                throw ScenarioException.at(e.getValue(), what + " needs either steps: (a busy handler) or handler:"
                        + " (a program), " + (hasSteps ? "not both" : "and has neither"));
            }
            int steps = hasSteps ? intValue(f.get("steps"), what + ": steps", 1, 1 << 20) : 0;
            List<OpCall> handler = hasHandler ? operations(f.get("handler"), what + "'s handler", scope.fresh())
                    : List.of();
            out.put(cpu, new InterruptDecl(cpu, steps, max, handler, ScenarioException.where(e.getValue())));
        }
        return out;
    }

    private static EngineSettings engine(Node node) {
        Map<String, Node> f = fields(node, "engine", ENGINE);
        String policy = f.containsKey("policy") ? Yaml.choice(f.get("policy"), "policy", EngineSettings.POLICIES) : null;
        Integer bound = f.containsKey("preemption-bound") ? bound(f.get("preemption-bound")) : null;
        String delays = f.containsKey("delays") ? Yaml.choice(f.get("delays"), "delays", EngineSettings.DELAYS) : null;
        Long seed = f.containsKey("seed") ? Yaml.integer(f.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : null;
        Integer skew = f.containsKey("skew") ? intValue(f.get("skew"), "skew", 0, 1 << 16) : null;
        Long max = f.containsKey("max-schedules")
                ? Yaml.integer(f.get("max-schedules"), "max-schedules", 1, 1_000_000_000_000L) : null;
        Duration limit = f.containsKey("time-limit") ? duration(f.get("time-limit"), "time-limit") : null;
        String schedule = f.containsKey("schedule") ? schedule(f.get("schedule")) : null;
        return new EngineSettings(policy, bound, delays, seed, skew, max, limit, schedule);
    }

    /** {@code preemption-bound:} a number from 0 to 64, or {@code none}. */
    private static int bound(Node node) {
        if (node instanceof org.snakeyaml.engine.v2.nodes.ScalarNode sc && sc.getValue().equals("none")) {
            return EngineSettings.NO_BOUND;
        }
        return intValue(node, "preemption-bound (0 to 64, or none)", 0, 64);
    }

    /**
     * A duration as files and the command line write it: {@code 500ms}, {@code 30s}, {@code 2m},
     * or a plain number of seconds; at most a day.
     */
    public static Duration duration(Node node, String what) {
        String s = string(node, what);
        try {
            return parseDuration(s);
        } catch (IllegalArgumentException e) {
            throw ScenarioException.at(node, what + ": " + e.getMessage());
        }
    }

    /** See {@link #duration(Node, String)}; throws IllegalArgumentException with a message. */
    public static Duration parseDuration(String s) {
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
            throw ScenarioException.at(node, "schedule: " + oneLine(Echo.cut(String.valueOf(e.getMessage()))));
        }
        return s;
    }

    /** {@code expect:} as a list (every protocol) or a map by protocol with an optional {@code default:}. */
    private Expectations expectations(Node node) {
        if (!(node instanceof MappingNode)) {
            return Expectations.forAll(expect(node));
        }
        Map<String, Node> entries = Yaml.namedEntries(node, "expect");
        Map<String, Node> keyNodes = Yaml.keyNodes(node);
        Map<String, List<FindingKind>> per = new LinkedHashMap<>();
        List<FindingKind> fallback = List.of();
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            if (e.getKey().equals(Expectations.DEFAULT_KEY)) {
                fallback = expect(e.getValue());
            } else if (protocols.contains(e.getKey())) {
                per.put(e.getKey(), expect(e.getValue()));
            } else {
                throw ScenarioException.at(keyNodes.get(e.getKey()), "expect: unknown protocol '" + Echo.cut(e.getKey())
                        + "'" + Yaml.didYouMean(e.getKey(), protocols) + " (a protocol of 'mmemu protocols', or default)");
            }
        }
        return new Expectations(per, fallback, true, true);
    }

    /** {@code watch:} page names, each declared in pages: or bound by an operation's {@code as:}. */
    private static List<String> watch(Node node, Set<String> declared, Set<String> bound) {
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

    private static List<FindingKind> expect(Node node) {
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
