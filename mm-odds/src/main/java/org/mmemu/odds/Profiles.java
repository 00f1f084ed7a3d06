package org.mmemu.odds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mmemu.scenario.Echo;
import org.mmemu.scenario.yaml.ScenarioException;

/**
 * The shipped timing profiles ({@code profiles/NAME.yaml} resources, each commented with the
 * sources of its values) and how the command line names a profile: a file, else a shipped name.
 */
public final class Profiles {
    /** The profile {@code odds} uses when none is named. */
    public static final String DEFAULT = "xeon-2002";
    /** The shipped profiles, the default first. */
    private static final List<String> SHIPPED = List.of(DEFAULT, "smp4-2004");
    private static final String DIR = "profiles/";

    private Profiles() {
    }

    /** The shipped profiles' names, the default first. */
    public static List<String> names() {
        return SHIPPED;
    }

    /** The label messages use for shipped profile {@code name}. */
    public static String label(String name) {
        return DIR + name + ".yaml";
    }

    /** The text of shipped profile {@code name}, as a user may copy and edit it. */
    public static Optional<String> text(String name) {
        if (!SHIPPED.contains(name)) {
            return Optional.empty();
        }
        try (InputStream in = Profiles.class.getClassLoader().getResourceAsStream(label(name))) {
            if (in == null) {
                throw new IllegalStateException("shipped profile " + name + " is missing from the class path");
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Shipped profile {@code name}. */
    public static TimingProfile shipped(String name) {
        return ProfileReader.parse(label(name), text(name).orElseThrow(() -> new IllegalArgumentException(
                "no shipped profile " + name)));
    }

    /** The profile {@code ref} names: an existing file, else a shipped profile, else an error. */
    public static TimingProfile resolve(String ref) {
        Path p;
        try {
            p = Path.of(ref);
        } catch (InvalidPathException e) {
            throw new ScenarioException(Echo.cut(ref), "not a file name (" + Echo.cut(e.getReason()) + ")");
        }
        if (Files.exists(p) || Files.isSymbolicLink(p)) {
            return ProfileReader.load(p);
        }
        if (SHIPPED.contains(ref)) {
            return shipped(ref);
        }
        throw new ScenarioException(Echo.cut(ref), "no such file, nor a shipped profile (see 'mmemu odds --profiles')");
    }
}
