package org.mmemu.tests.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages (docs/ARCHITECTURE.md, "The engine's packages"), checked on mm-engine's
 * compiled main classes:
 *
 * <pre>
 *   org.mmemu.engine (vocabulary)   hb (happens-before)
 *              ^                      ^
 *              +-------- run ---------+        one execution: coroutines, gate, rows
 *                         ^
 *                       delay                 the delay models propose options
 *                         ^
 *                       search                the policies choose among them
 *                         ^
 *                       control               Explorer, TimedEngine: the parts put together
 * </pre>
 *
 * Each package uses only those below it (a policy may also use the vocabulary and hb directly,
 * never run), and there is no cycle among them.
 */
class EnginePackagesTest {
    private static JavaClasses engine;

    @BeforeAll
    static void importClasses() {
        engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.mmemu.engine");
    }

    @Test
    void theEnginePackagesAreLayered() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("vocabulary").definedBy("org.mmemu.engine")
                .layer("hb").definedBy("org.mmemu.engine.hb..")
                .layer("run").definedBy("org.mmemu.engine.run..")
                .layer("delay").definedBy("org.mmemu.engine.delay..")
                .layer("search").definedBy("org.mmemu.engine.search..")
                .layer("control").definedBy("org.mmemu.engine.control..")
                .whereLayer("control").mayNotBeAccessedByAnyLayer()
                .whereLayer("search").mayOnlyBeAccessedByLayers("control")
                .whereLayer("delay").mayOnlyBeAccessedByLayers("search", "control")
                .whereLayer("run").mayOnlyBeAccessedByLayers("delay", "control")
                .whereLayer("hb").mayOnlyBeAccessedByLayers("run", "delay", "search", "control")
                .whereLayer("vocabulary").mayOnlyBeAccessedByLayers("run", "delay", "search", "control")
                .check(engine);
    }

    /** The bottom two stand on mm-core alone. */
    @Test
    void theVocabularyAndHappensBeforeUseNoOtherEnginePackage() {
        noClasses().that().resideInAPackage("org.mmemu.engine")
                .should().dependOnClassesThat(resideInAPackage("org.mmemu.engine..")
                        .and(not(resideInAPackage("org.mmemu.engine"))))
                .check(engine);
        noClasses().that().resideInAPackage("org.mmemu.engine.hb..")
                .should().dependOnClassesThat(resideInAPackage("org.mmemu.engine..")
                        .and(not(resideInAPackage("org.mmemu.engine.hb.."))))
                .check(engine);
    }

    @Test
    void noCycleBetweenTheEnginePackages() {
        slices().matching("org.mmemu.(**)").should().beFreeOfCycles().check(engine);
    }

    /** Small parts a reader can hold: no main source file of mm-engine over 400 lines. */
    @Test
    void noMainFileOfTheEngineIsOver400Lines() throws IOException {
        Path main = Path.of("..", "mm-engine", "src", "main", "java");
        assertThat(main).as("mm-engine's sources, from mm-tests").isDirectory();
        try (Stream<Path> files = Files.walk(main)) {
            List<String> tooLong = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> lines(p) > 400).map(p -> main.relativize(p) + " (" + lines(p) + " lines)").toList();
            assertThat(tooLong).as("mm-engine main files over 400 lines").isEmpty();
        }
    }

    /** The run's gate, once 721 lines that did every job of a run, stays under 300. */
    @Test
    void executionStaysUnder300Lines() {
        Path execution = Path.of("..", "mm-engine", "src", "main", "java", "org", "mmemu", "engine", "run",
                "Execution.java");
        assertThat(lines(execution)).as("run/Execution.java lines").isLessThan(300);
    }

    private static long lines(Path p) {
        try (Stream<String> l = Files.lines(p)) {
            return l.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
