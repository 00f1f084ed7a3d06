package org.mmemu.scenario;

import java.util.Optional;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.yaml.Yaml;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.DocumentStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The text of a scenario file into YAML nodes, safely: composed with snakeyaml-engine, never
 * constructed into objects, after an event pass that rejects tags, anchors, aliases, more than
 * one document and nesting deeper than {@link ScenarioLoader#MAX_DEPTH} (see {@link ScenarioLoader}).
 */
final class YamlScreen {
    private YamlScreen() {
    }

    /** The root node of {@code text}, named {@code label} in messages; never null or a YAML null. */
    static Node compose(String label, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false).setMaxAliasesForCollections(0).setCodePointLimit(ScenarioLoader.MAX_BYTES)
                .setUseMarks(true).build();
        Node root;
        try {
            screen(label, settings, text);
            root = new Compose(settings).composeString(text)
                    .orElseThrow(() -> new ScenarioException(label, "empty scenario file"));
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> m = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() == null ? "bad YAML" : e.getProblem();
            if (e.getContext() != null && !e.getContext().isBlank()) {
                problem = e.getContext() + ": " + problem;
            }
            throw ScenarioException.at(label, m, "bad YAML: " + oneLine(problem));
        } catch (ReaderException e) {
            throw new ScenarioException(position(label, text, e.getPosition()), "bad YAML: a control character (code "
                    + e.getCodePoint() + ") is not allowed in a scenario file (binary data?)");
        } catch (YamlEngineException e) {
            throw new ScenarioException(label, "bad YAML: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (Yaml.isNull(root)) {
            throw new ScenarioException(label, "empty scenario file");
        }
        return root;
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

    /** {@code s} on one line: every line break with the blanks around it becomes one space. */
    static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** The event pass: no tags, no anchors or aliases, one document. */
    private static void screen(String label, LoadSettings settings, String text) {
        int documents = 0;
        int depth = 0;
        for (Event ev : new Parse(settings).parseString(text)) {
            if (ev instanceof CollectionStartEvent && ++depth > ScenarioLoader.MAX_DEPTH) {
                throw ScenarioException.at(label, ev.getStartMark(), "lists and maps nested more than "
                        + ScenarioLoader.MAX_DEPTH + " deep");
            }
            if (ev instanceof CollectionEndEvent) {
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
}
