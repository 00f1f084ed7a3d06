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
 *
 * <p>The catalogue of real races ({@code mmemu catalogue}, docs/CATALOGUE.md) is shipped beside
 * them in {@code scenarios/catalogue/}, listed in its own {@code INDEX}; its files are named
 * {@code catalogue/NAME} wherever a scenario is, and are not among {@link #names()} (they are run
 * by the catalogue, each on two kernels, not by the checks of the shipped scenarios).
 */
public final class Shipped {
    private static final String DIR = "scenarios/";
    /** The prefix of a catalogue entry's name, and its folder under {@link #DIR}. */
    public static final String CATALOGUE = "catalogue/";

    private Shipped() {
    }

    /** The shipped scenarios' names, in index order. */
    public static List<String> names() {
        return index(DIR);
    }

    /** The catalogue's files, as {@code catalogue/NAME}, in the order of {@code scenarios/catalogue/INDEX}. */
    public static List<String> catalogue() {
        return index(DIR + CATALOGUE).stream().map(n -> CATALOGUE + n).toList();
    }

    private static List<String> index(String dir) {
        byte[] index = bytes(dir + "INDEX").orElseThrow(() -> new IllegalStateException(dir + "INDEX missing"));
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
        if (!names().contains(name) && !catalogue().contains(name)) {
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
