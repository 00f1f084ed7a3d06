package org.mmemu.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scenarios shipped in {@code mm-tests/src/main/resources/scenarios/}, listed in its
 * {@code INDEX} (one name per line, the file being {@code NAME.yaml}); a test keeps the index and
 * the directory in step. The command line accepts a shipped scenario's name wherever it takes a
 * file.
 */
public final class Shipped {
    private static final String DIR = "scenarios/";

    private Shipped() {
    }

    /** The shipped scenarios' names, in index order. */
    public static List<String> names() {
        byte[] index = bytes(DIR + "INDEX").orElseThrow(() -> new IllegalStateException("scenarios/INDEX missing"));
        List<String> out = new ArrayList<>();
        for (String line : new String(index, StandardCharsets.UTF_8).split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l);
            }
        }
        return out;
    }

    /** The label messages use for shipped scenario {@code name}. */
    public static String label(String name) {
        return DIR + name + ".yaml";
    }

    /** The text of shipped scenario {@code name}, if there is one. */
    public static Optional<byte[]> text(String name) {
        if (!names().contains(name)) {
            return Optional.empty();
        }
        return bytes(label(name));
    }

    private static Optional<byte[]> bytes(String resource) {
        try (InputStream in = Shipped.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
