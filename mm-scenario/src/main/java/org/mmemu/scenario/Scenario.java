package org.mmemu.scenario;

import java.util.List;
import java.util.Map;

/**
 * A scenario file, read and checked: a machine, named pages in their initial state, what each
 * CPU runs, the interrupts that may arrive, how to run it, and what must be found.
 *
 * @param name        {@code name:}
 * @param description {@code description:} (the race narrated in steps), or ""
 * @param source      the file's name as messages show it
 * @param machine     {@code machine:}
 * @param pages       {@code pages:}, in file order
 * @param programs    {@code programs:}, per CPU id (CPUs without a program run nothing)
 * @param interrupts  {@code interrupts:}, per CPU id
 * @param engine      {@code engine:} (fields not given are null)
 * @param expect      {@code expect:}: kinds that must occur, per protocol; empty means no finding may occur
 * @param json        {@code json:} a file to write the JSON result to, or null
 * @param watch       {@code watch:}: the pages whose count and PG_lru traces show, in order; empty
 *                    for the default (every page the file names or a finding concerns)
 * @param catalogue   {@code catalogue:}: the catalogue entry the file is, or null
 * @param odds        {@code odds:}: the settings of {@code mmemu odds}
 */
public record Scenario(String name, String description, String source, MachineSpec machine,
                       Map<String, PageSpec> pages, Map<Integer, List<OpCall>> programs,
                       Map<Integer, InterruptDecl> interrupts, EngineSettings engine,
                       Expectations expect, String json, List<String> watch, CatalogueEntry catalogue,
                       OddsSettings odds) {
    public Scenario {
        pages = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pages));
        programs = Map.copyOf(programs);
        interrupts = Map.copyOf(interrupts);
        watch = List.copyOf(watch);
    }

    /** A scenario that is no catalogue entry. */
    public Scenario(String name, String description, String source, MachineSpec machine,
                    Map<String, PageSpec> pages, Map<Integer, List<OpCall>> programs,
                    Map<Integer, InterruptDecl> interrupts, EngineSettings engine,
                    Expectations expect, String json, List<String> watch) {
        this(name, description, source, machine, pages, programs, interrupts, engine, expect, json, watch, null);
    }

    /** A scenario with the default settings of {@code mmemu odds}. */
    public Scenario(String name, String description, String source, MachineSpec machine,
                    Map<String, PageSpec> pages, Map<Integer, List<OpCall>> programs,
                    Map<Integer, InterruptDecl> interrupts, EngineSettings engine,
                    Expectations expect, String json, List<String> watch, CatalogueEntry catalogue) {
        this(name, description, source, machine, pages, programs, interrupts, engine, expect, json, watch, catalogue,
                OddsSettings.DEFAULT);
    }

    /** The same scenario under another protocol (the command line's, or compare's). */
    public Scenario withProtocol(String protocol) {
        return new Scenario(name, description, source,
                machine.withProtocol(protocol),
                pages, programs, interrupts, engine, expect, json, watch, catalogue, odds);
    }

    /** The program of {@code cpu}, empty if it has none. */
    public List<OpCall> program(int cpu) {
        return programs.getOrDefault(cpu, List.of());
    }
}
