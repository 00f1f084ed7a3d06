package org.mmemu.scenario;

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
 * A YAML file of mmemu's (a scenario, a timing profile) into YAML nodes, safely: read with its
 * size and type checked, composed with snakeyaml-engine, never constructed into objects, after an
 * event pass that rejects tags, anchors, aliases, more than one document and nesting deeper than
 * {@link ScenarioLoader#MAX_DEPTH} (see {@link ScenarioLoader}). Public so that the other YAML
 * formats of the product (mm-odds' timing profiles) are read as safely and report errors as
 * scenarios do ({@code file:line:column}); {@code kind} names the format in messages.
 */
public final class YamlScreen {
    private YamlScreen() {
    }

    /**
     * The root node of the file {@code file}, a {@code kind} ("scenario", "timing profile"). The
     * file's type is checked before it is opened (a device, FIFO or socket could block or never
     * end) and at most {@link ScenarioLoader#MAX_BYTES} + 1 bytes are read whatever its size claims.
     */
    public static Node compose(Path file, String kind) {
        String label = Echo.cut(file.toString());
        return compose(label, bytes(file, label, kind), kind);
    }

    /** The root node of {@code bytes}, a {@code kind} named {@code label} in messages. */
    public static Node compose(String label, byte[] bytes, String kind) {
        return compose(label, text(label, bytes, kind), kind);
    }

    private static byte[] bytes(Path file, String label, String kind) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (a.isDirectory()) {
                throw new ScenarioException(label, "is a directory, not a " + kind + " file");
            }
            if (!a.isRegularFile()) {
                throw new ScenarioException(label, "is a device, FIFO or socket, not a " + kind + " file");
            }
            if (a.size() > ScenarioLoader.MAX_BYTES) {
                throw new ScenarioException(label, "file is larger than " + ScenarioLoader.MAX_BYTES + " bytes");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return in.readNBytes(ScenarioLoader.MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw new ScenarioException(label, "no such file");
        } catch (AccessDeniedException e) {
            throw new ScenarioException(label, "permission denied");
        } catch (IOException e) {
            throw new ScenarioException(label, "cannot read: " + Echo.cut(e.getMessage()));
        }
    }

    /** {@code bytes} as text: at most {@link ScenarioLoader#MAX_BYTES}, no NUL, UTF-8. */
    static String text(String label, byte[] bytes, String kind) {
        if (bytes.length > ScenarioLoader.MAX_BYTES) {
            throw new ScenarioException(label, "file is larger than " + ScenarioLoader.MAX_BYTES + " bytes");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new ScenarioException(label, "binary data (a NUL byte at offset " + i + "), not a YAML " + kind);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ScenarioException(label, "not UTF-8 text (binary data?), not a YAML " + kind);
        }
    }

    /** The root node of {@code text}, named {@code label} in messages; never null or a YAML null. */
    public static Node compose(String label, String text, String kind) {
        LoadSettings settings = LoadSettings.builder().setLabel(label).setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false).setMaxAliasesForCollections(0).setCodePointLimit(ScenarioLoader.MAX_BYTES)
                .setUseMarks(true).build();
        Node root;
        try {
            screen(label, settings, text, kind);
            root = new Compose(settings).composeString(text)
                    .orElseThrow(() -> new ScenarioException(label, "empty " + kind + " file"));
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> m = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() == null ? "bad YAML" : e.getProblem();
            if (e.getContext() != null && !e.getContext().isBlank()) {
                problem = e.getContext() + ": " + problem;
            }
            throw ScenarioException.at(label, m, "bad YAML: " + oneLine(problem));
        } catch (ReaderException e) {
            throw new ScenarioException(position(label, text, e.getPosition()), "bad YAML: a control character (code "
                    + e.getCodePoint() + ") is not allowed in a " + kind + " file (binary data?)");
        } catch (YamlEngineException e) {
            throw new ScenarioException(label, "bad YAML: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (Yaml.isNull(root)) {
            throw new ScenarioException(label, "empty " + kind + " file");
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
    private static void screen(String label, LoadSettings settings, String text, String kind) {
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
                throw ScenarioException.at(label, ev.getStartMark(), "more than one YAML document in a " + kind + " file");
            }
            if (ev instanceof AliasEvent) {
                throw ScenarioException.at(label, ev.getStartMark(), "YAML aliases (*name) are not allowed in " + kind + "s");
            }
            if (ev instanceof NodeEvent ne && ne.getAnchor().isPresent()) {
                throw ScenarioException.at(label, ev.getStartMark(), "YAML anchors (&name) are not allowed in " + kind + "s");
            }
            Optional<String> tag = ev instanceof ScalarEvent se ? se.getTag()
                    : ev instanceof CollectionStartEvent ce ? ce.getTag() : Optional.empty();
            if (tag.isPresent()) {
                throw ScenarioException.at(label, ev.getStartMark(), "YAML type tags are not allowed in " + kind + "s ("
                        + tag.get() + ")");
            }
        }
    }
}
