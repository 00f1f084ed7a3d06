package org.mmemu.oracle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The oracle's files under {@code mm-oracle/target/oracle/}: the controlled engine's verdicts
 * ({@code mmemu.json}, written by the run on the plain JDK, read by the run under Fray),
 * {@code agreement.json}, and Fray's reports.
 */
final class OracleFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OracleFiles() {
    }

    /** {@code target/oracle}, as surefire passes it ({@code oracle.dir}), else relative to the module. */
    static Path dir() {
        return Path.of(System.getProperty("oracle.dir", "target/oracle"));
    }

    static Path controlled() {
        return dir().resolve("mmemu.json");
    }

    static Path agreement() {
        return dir().resolve("agreement.json");
    }

    static Path frayReports() {
        return dir().resolve("fray");
    }

    static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ControlledVerdict> readControlled() {
        Path f = controlled();
        if (!Files.exists(f)) {
            throw new IllegalStateException(f + " is missing: the controlled engine's run (ControlledVerdictsTest, "
                    + "surefire's default-test execution) writes it before Fray's run reads it");
        }
        try {
            return JSON.readValue(f.toFile(), new TypeReference<List<ControlledVerdict>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
