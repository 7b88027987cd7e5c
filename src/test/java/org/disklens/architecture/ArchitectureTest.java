package org.disklens.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * ARCHITECTURE.md's layers, enforced: the arrows point down, the core has no JavaFX and never prints; a format or a
 * file system is one package that nothing else names (formats are found through their list, file systems through
 * theirs) and that names no other format or file system.
 */
@AnalyzeClasses(packages = "org.disklens", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String FORMATS = "org.disklens.image.";

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

    /** Generic layers ask {@code DiskImage} typed questions; no {@code Qcow2Image} or {@code VmdkConfig} outside its package. */
    @ArchTest
    static final ArchRule formatPackagesAreNamedOnlyFromWithin = noClasses().should(nameAFormatPackageTypeOutsideIt());

    @ArchTest
    static final ArchRule fileSystemPackagesDoNotDependOnEachOther = slices()
            .matching("org.disklens.content.(*)..").should().notDependOnEachOther();

    @ArchTest
    static final ArchRule formatsDoNotUseTheConversionEngine = noClasses().that().resideInAPackage("org.disklens.image..")
            .should().dependOnClassesThat().resideInAPackage("org.disklens.convert..");

    private static ArchCondition<JavaClass> nameAFormatPackageTypeOutsideIt() {
        return new ArchCondition<>("name a type of a format package (org.disklens.image.<format>) outside it") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                    String target = dependency.getTargetClass().getPackageName();
                    if (target.startsWith(FORMATS)) {
                        String formatPackage = FORMATS + target.substring(FORMATS.length()).split("\\.")[0];
                        if (!item.getPackageName().equals(formatPackage)
                                && !item.getPackageName().startsWith(formatPackage + ".")) {
                            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                        }
                    }
                }
            }
        };
    }
}
