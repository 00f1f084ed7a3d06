package org.mmemu.tests.arch;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §1's layering, checked on the compiled classes of every module (tests excluded):
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

    /**
     * No cycle between the packages of the library modules, with one exception: the
     * {@code org.mmemu.core} root holds {@code Machine}, the composition root that owns every
     * part of a machine and that every part is handed ({@code PageAlloc(Machine)}); uses of it
     * from mm-core's own sub-packages are not counted as cycles. (Without the exception the only
     * cycle is org.mmemu.core -> core.page -> org.mmemu.core.)
     */
    @Test
    void theLibraryPackagesHaveNoCyclesApartFromTheMachineRoot() {
        slices().matching("org.mmemu.(**)").should().beFreeOfCycles()
                .ignoreDependency(JavaClass.Predicates.resideInAPackage("org.mmemu.core.."),
                        JavaClass.Predicates.resideInAPackage("org.mmemu.core"))
                .check(library());
    }

    private static JavaClasses library() {
        return classes.that(JavaClass.Predicates.resideInAnyPackage("org.mmemu.core..", "org.mmemu.lru..",
                "org.mmemu.pagevec..", "org.mmemu.slab..", "org.mmemu.reclaim.."));
    }
}
