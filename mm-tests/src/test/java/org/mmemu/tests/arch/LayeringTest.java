package org.mmemu.tests.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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
 * the kernel mirrors mm-core &lt;- mm-lru &lt;- mm-pagevec &lt;- mm-slab &lt;- mm-reclaim; the engine
 * mm-core &lt;- mm-engine, which no kernel mirror uses; the product on top, mm-scenario &lt;- mm-cli
 * &lt;- mm-bench, and mm-odds beside mm-bench on mm-cli (neither uses the other); each layer using only
 * those below it, and no cycle between the packages of any module.
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
                .layer("engine").definedBy("org.mmemu.engine..")
                .layer("lru").definedBy("org.mmemu.lru..")
                .layer("pagevec").definedBy("org.mmemu.pagevec..")
                .layer("slab").definedBy("org.mmemu.slab..")
                .layer("reclaim").definedBy("org.mmemu.reclaim..")
                .layer("scenario").definedBy("org.mmemu.scenario..")
                .layer("cli").definedBy("org.mmemu.cli..", "org.mmemu.report..")
                .layer("odds").definedBy("org.mmemu.odds..")
                .layer("bench").definedBy("org.mmemu.bench..")
                .whereLayer("bench").mayNotBeAccessedByAnyLayer()
                .whereLayer("odds").mayNotBeAccessedByAnyLayer()
                .whereLayer("cli").mayOnlyBeAccessedByLayers("bench", "odds")
                .whereLayer("scenario").mayOnlyBeAccessedByLayers("cli", "bench", "odds")
                .whereLayer("reclaim").mayOnlyBeAccessedByLayers(PRODUCT)
                .whereLayer("slab").mayOnlyBeAccessedByLayers(with("reclaim", PRODUCT))
                .whereLayer("pagevec").mayOnlyBeAccessedByLayers(with("slab", with("reclaim", PRODUCT)))
                .whereLayer("lru").mayOnlyBeAccessedByLayers(with("pagevec", with("slab", with("reclaim", PRODUCT))))
                .whereLayer("engine").mayOnlyBeAccessedByLayers(PRODUCT)
                .whereLayer("core").mayOnlyBeAccessedByLayers(
                        with("engine", with("lru", with("pagevec", with("slab", with("reclaim", PRODUCT))))))
                .check(classes);
    }

    /** The product's layers, which may use every library module. */
    private static final String[] PRODUCT = {"scenario", "cli", "odds", "bench"};

    private static String[] with(String layer, String... others) {
        String[] all = new String[others.length + 1];
        all[0] = layer;
        System.arraycopy(others, 0, all, 1, others.length);
        return all;
    }

    /** No kernel mirror drives CPUs: the library modules stand without mm-engine. */
    @Test
    void noKernelMirrorUsesTheEngine() {
        noClasses().that().resideInAnyPackage("org.mmemu.core..", "org.mmemu.lru..", "org.mmemu.pagevec..",
                "org.mmemu.slab..", "org.mmemu.reclaim..")
                .should().dependOnClassesThat().resideInAPackage("org.mmemu.engine..").check(classes);
    }

    /** No package cycle anywhere in main code, the product's modules included. */
    @Test
    void noPackageCyclesAnywhere() {
        slices().matching("org.mmemu.(**)").should().beFreeOfCycles().check(classes);
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
                "org.mmemu.pagevec..", "org.mmemu.slab..", "org.mmemu.reclaim..", "org.mmemu.engine.."));
    }
}
