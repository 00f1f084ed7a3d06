package org.mmemu.scenario;

import static org.mmemu.scenario.SectionSupport.need;
import static org.mmemu.scenario.yaml.Yaml.fields;
import static org.mmemu.scenario.yaml.Yaml.string;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mmemu.scenario.ops.OperationRegistry;
import org.mmemu.scenario.ops.Scope;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads scenario files (the format of issue 7) into checked {@link Scenario}s.
 *
 * <p><b>Safety.</b> The file is composed into YAML nodes with snakeyaml-engine and never
 * constructed into objects, so no type it names can be instantiated; on top of that a first
 * pass over the parser's events rejects every explicit tag ({@code !!java.io.File},
 * {@code !!str} alike), anchors and aliases (no billion laughs, no recursive nodes), and more
 * than one document ({@link YamlScreen}). Files over {@link #MAX_BYTES}, files that are not UTF-8
 * text and files with NUL bytes are refused before YAML sees them.
 *
 * <p><b>Strictness.</b> Every key, operation, page name and number is checked, with the
 * position of the node that is wrong, so that everything after loading can trust the model.
 * Each section has its reader, as each operation has its class in {@code ops/}:
 * {@link MachineReader}, {@link PagesReader} (also {@code watch:}), {@link ProgramsReader},
 * {@link InterruptsReader}, {@link EngineReader}, {@link ExpectReader}, {@link CatalogueReader}. This class reads the file
 * and its top level and hands each section to its reader.
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

    /** What messages call the files this class reads. */
    private static final String KIND = "scenario";

    private static final Set<String> TOP = SectionSupport.keys("name", "description", "machine", "pages", "programs",
            "interrupts", "engine", "expect", "json", "watch", "catalogue", "odds");

    private final MachineReader machineReader;
    private final ProgramsReader programsReader;
    private final InterruptsReader interruptsReader;
    private final ExpectReader expectReader;

    /** Every key a file may use, by section (for docs/SCENARIOS.md and the test that keeps it in step). */
    public static Map<String, Set<String>> keys() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("top", TOP);
        m.put("machine", MachineReader.KEYS);
        m.put("page", PagesReader.KEYS);
        m.put("interrupt", InterruptsReader.KEYS);
        m.put("engine", EngineReader.KEYS);
        m.put("catalogue", CatalogueReader.KEYS);
        m.put("catalogue fixed-search", CatalogueReader.SEARCH_KEYS);
        m.put("odds", OddsReader.KEYS);
        return Collections.unmodifiableMap(m);
    }

    /** A loader that knows {@code operations} and the protocols named {@code protocols}. */
    public ScenarioLoader(OperationRegistry operations, Collection<String> protocols) {
        Set<String> names = new LinkedHashSet<>(protocols);
        this.machineReader = new MachineReader(List.copyOf(names));
        this.programsReader = new ProgramsReader(operations);
        this.interruptsReader = new InterruptsReader(programsReader);
        this.expectReader = new ExpectReader(names);
    }

    // ---- text -----------------------------------------------------------------------

    /**
     * Reads and checks the scenario in {@code file}. The file's type is checked before it is
     * opened (a device, FIFO or socket could block or never end) and at most
     * {@link #MAX_BYTES} + 1 bytes are read whatever its size claims, so no input can hang the
     * tool or exhaust its memory.
     */
    public Scenario load(Path file) {
        return read(Echo.cut(file.toString()), YamlScreen.compose(file, KIND));
    }

    /** Checks the scenario in {@code bytes}, naming it {@code label} in messages. */
    public Scenario parse(String label, byte[] bytes) {
        return read(label, YamlScreen.compose(label, bytes, KIND));
    }

    /** Checks the scenario in {@code text}, naming it {@code label} in messages. */
    public Scenario parse(String label, String text) {
        return read(label, YamlScreen.compose(label, text, KIND));
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
        if (!SectionSupport.NAME.matcher(name).matches()) {
            throw ScenarioException.at(nameNode, "name '" + name + "' must be a word of letters, digits, - and _");
        }
        String description = top.containsKey("description") ? string(top.get("description"), "description") : "";
        MachineSpec machine = machineReader.read(need(top, "machine", root, "the scenario"));
        Map<String, PageSpec> pages = top.containsKey("pages") ? PagesReader.read(top.get("pages"), machine) : Map.of();
        Scope scope = new Scope(pages.keySet(), machine.zones().keySet(), machine.cpus());
        Map<Integer, List<OpCall>> programs = programsReader.read(need(top, "programs", root, "the scenario"),
                machine, scope);
        Map<Integer, InterruptDecl> interrupts = top.containsKey("interrupts")
                ? interruptsReader.read(top.get("interrupts"), machine, scope) : Map.of();
        EngineSettings engine = top.containsKey("engine") ? EngineReader.read(top.get("engine")) : EngineSettings.none();
        Expectations expect = top.containsKey("expect") ? expectReader.read(top.get("expect")) : Expectations.none();
        String json = top.containsKey("json") ? string(top.get("json"), "json") : null;
        List<String> watch = top.containsKey("watch")
                ? PagesReader.watch(top.get("watch"), pages.keySet(), scope.boundInFile()) : List.of();
        CatalogueEntry catalogue = top.containsKey("catalogue") ? CatalogueReader.read(top.get("catalogue")) : null;
        OddsSettings odds = top.containsKey("odds") ? OddsReader.read(top.get("odds"), machine) : OddsSettings.DEFAULT;
        return new Scenario(name, description, label, machine, pages, programs, interrupts, engine, expect, json,
                watch, catalogue, odds);
    }

    /**
     * A duration as files and the command line write it: {@code 500ms}, {@code 30s}, {@code 2m},
     * or a plain number of seconds; at most a day.
     */
    public static Duration duration(Node node, String what) {
        return EngineReader.duration(node, what);
    }

    /** See {@link #duration(Node, String)}; throws IllegalArgumentException with a message. */
    public static Duration parseDuration(String s) {
        return EngineReader.parseDuration(s);
    }
}
