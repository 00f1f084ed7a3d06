package org.mmemu.scenario.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.mmemu.scenario.ops.OperationRegistry;
import org.mmemu.scenario.Echo;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.yaml.ScenarioException;
import org.mmemu.scenario.ScenarioLoader;
import org.mmemu.scenario.Shipped;

/**
 * Finds and reads a scenario the way the command line names it: a path, or the name of a
 * shipped scenario ({@code seed-race}).
 */
public final class Scenarios {
    private final ScenarioLoader loader;

    public Scenarios(ScenarioLoader loader) {
        this.loader = loader;
    }

    /** With the standard operations and the protocols on the class path. */
    public static Scenarios standard() {
        return standard(ProtocolRegistry.onClassPath());
    }

    /** With the standard operations and {@code protocols}. */
    public static Scenarios standard(ProtocolRegistry protocols) {
        return new Scenarios(new ScenarioLoader(OperationRegistry.standard(), protocols.names()));
    }

    public ScenarioLoader loader() {
        return loader;
    }

    /** The scenario {@code ref} names: an existing file, else a shipped scenario, else an error. */
    public Scenario resolve(String ref) {
        Path p;
        try {
            p = Path.of(ref);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ScenarioException(Echo.cut(ref), "not a file name (" + Echo.cut(e.getReason()) + ")");
        }
        if (Files.exists(p) || Files.isSymbolicLink(p)) {
            return loader.load(p);
        }
        Optional<byte[]> shipped = Shipped.text(ref);
        if (shipped.isPresent()) {
            return loader.parse(Shipped.label(ref), shipped.get());
        }
        throw new ScenarioException(Echo.cut(ref), "no such file, nor a shipped scenario (see 'mmemu scenarios')");
    }
}
