package org.mmemu.tests.arch;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md §1's layering, checked on the compiled classes of every module (tests excluded):
 * mm-core &lt;- mm-lru &lt;- mm-pagevec &lt;- mm-slab &lt;- mm-reclaim &lt;- mm-tests (the scenario language,
 * the command line, the reports and the benchmarks), each layer using
 * only those below it, and no cycle between the packages of the library modules.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // the other modules come as jars in a reactor build; mm-core's test-jar is not library code
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.mmemu");
    }

    @Test
    void eachModuleUsesOnlyTheModulesBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy("org.mmemu.core..")
                .layer("lru").definedBy("org.mmemu.lru..")
                .layer("pagevec").definedBy("org.mmemu.pagevec..")
                .layer("slab").definedBy("org.mmemu.slab..")
                .layer("reclaim").definedBy("org.mmemu.reclaim..")
                .layer("tests").definedBy("org.mmemu.scenario..", "org.mmemu.cli..", "org.mmemu.report..",
                        "org.mmemu.bench..", "org.mmemu.tests..")
                .whereLayer("tests").mayNotBeAccessedByAnyLayer()
                .whereLayer("reclaim").mayOnlyBeAccessedByLayers("tests")
                .whereLayer("slab").mayOnlyBeAccessedByLayers("reclaim", "tests")
                .whereLayer("pagevec").mayOnlyBeAccessedByLayers("slab", "reclaim", "tests")
                .whereLayer("lru").mayOnlyBeAccessedByLayers("pagevec", "slab", "reclaim", "tests")
                .whereLayer("core").mayOnlyBeAccessedByLayers("lru", "pagevec", "slab", "reclaim", "tests")
                .check(classes);
    }

    @Test
    void theLibraryModulesHaveNoCyclesBetweenThem() {
        slices().matching("org.mmemu.(*)..").should().beFreeOfCycles().check(library());
    }

    /** No cycle between the packages of the library modules, the machine's root package included. */
    @Test
    void theLibraryPackagesHaveNoCycles() {
        slices().matching("org.mmemu.(**)").should().beFreeOfCycles().check(library());
    }

    /**
     * No two top-level main classes share a simple name, in any module: a reader (and a stack
     * trace, and an import) can tell {@code Explorer} from {@code Explorer} only by its package.
     */
    @Test
    void noTwoMainClassesShareASimpleName() {
        Map<String, List<String>> byName = classes.stream().filter(JavaClass::isTopLevelClass)
                .filter(c -> !c.getSimpleName().equals("package-info"))
                .collect(Collectors.groupingBy(JavaClass::getSimpleName, TreeMap::new,
                        Collectors.mapping(JavaClass::getName, Collectors.toList())));
        byName.values().removeIf(names -> names.size() == 1);
        assertThat(byName).as("main classes that share a simple name").isEmpty();
    }

    private static JavaClasses library() {
        return classes.that(JavaClass.Predicates.resideInAnyPackage("org.mmemu.core..", "org.mmemu.lru..",
                "org.mmemu.pagevec..", "org.mmemu.slab..", "org.mmemu.reclaim.."));
    }
}
