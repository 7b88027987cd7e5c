package org.disklens.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** ARCHITECTURE.md's layers, enforced: the arrows point down, the core has no JavaFX and never prints. */
@AnalyzeClasses(packages = "org.disklens", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule layersPointDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Application").definedBy("org.disklens", "org.disklens.cli..", "org.disklens.gui..")
            .layer("Engine").definedBy("org.disklens.convert..", "org.disklens.inspect..", "org.disklens.vm..")
            .layer("Contents").definedBy("org.disklens.content..")
            .layer("Formats").definedBy("org.disklens.image..")
            .layer("Storage").definedBy("org.disklens.io..")
            .whereLayer("Application").mayNotBeAccessedByAnyLayer()
            .whereLayer("Engine").mayOnlyBeAccessedByLayers("Application")
            .whereLayer("Contents").mayOnlyBeAccessedByLayers("Application", "Engine")
            .whereLayer("Formats").mayOnlyBeAccessedByLayers("Application", "Engine", "Contents")
            .whereLayer("Storage").mayOnlyBeAccessedByLayers("Application", "Engine", "Contents", "Formats")
            .withOptionalLayers(true);

    @ArchTest
    static final ArchRule coreHasNoJavaFx = noClasses()
            .that().resideOutsideOfPackages("org.disklens.gui..", "org.disklens")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.kordamp..", "org.jfree..");

    @ArchTest
    static final ArchRule coreNeverPrints = noClasses()
            .that().resideOutsideOfPackages("org.disklens.gui..", "org.disklens.cli..", "org.disklens")
            .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
            .orShould().callMethod(Throwable.class, "printStackTrace");
}
