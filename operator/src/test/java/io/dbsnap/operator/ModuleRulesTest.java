package io.dbsnap.operator;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module rules, each as a test (the operator's tests see every module's classes): which module
 * may use which. A rule that breaks names the class and the dependency.
 */
class ModuleRulesTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // main code only: test classes (and the core test-jar's testing helpers) may reach across
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/core/testing/") && !location.contains("-tests.jar"))
                .importPackages("io.dbsnap");
    }

    @Test
    void everyModuleIsThere() {
        for (String module : new String[]{"api", "core", "cli", "operator", "sandbox"}) {
            assertThat(main.stream().anyMatch(c -> c.getPackageName().startsWith("io.dbsnap." + module)))
                    .as("classes of " + module).isTrue();
        }
    }

    @Test
    void theApiUsesNothingOfDbsnap() {
        rule(noClasses().that().resideInAPackage("io.dbsnap.api..").should().dependOnClassesThat()
                .resideInAnyPackage("io.dbsnap.core..", "io.dbsnap.cli..", "io.dbsnap.operator..", "io.dbsnap.sandbox.."));
    }

    @Test
    void coreUsesNoKubernetesClientOperatorSdkOrKubernetesModel() {
        rule(noClasses().that().resideInAPackage("io.dbsnap.core..").should().dependOnClassesThat()
                .resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..", "io.quarkus..", "io.dbsnap.api.v1alpha1..",
                        "io.dbsnap.cli..", "io.dbsnap.operator..", "io.dbsnap.sandbox.."));
    }

    @Test
    void theOperatorUsesTheApiAndTheStoresNotEnginesPipelineOrCli() {
        rule(noClasses().that().resideInAPackage("io.dbsnap.operator..").should().dependOnClassesThat()
                .resideInAnyPackage("io.dbsnap.core.engine..", "io.dbsnap.core.pipeline..", "io.dbsnap.core.database..",
                        "io.dbsnap.core.process..", "io.dbsnap.cli..", "io.dbsnap.sandbox.."));
    }

    @Test
    void theJobKitKnowsNoResourceOfItsOwn() {
        // what every Job-backed resource shares must not lean on one of them: a new resource adds, never copies
        rule(noClasses().that().resideInAnyPackage("io.dbsnap.operator.job..", "io.dbsnap.operator.common..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("io.dbsnap.operator.snapshot..",
                                "io.dbsnap.operator.restore..", "io.dbsnap.api.v1alpha1.snapshot..",
                                "io.dbsnap.api.v1alpha1.restore..")
                        .or(JavaClass.Predicates.type(io.dbsnap.api.job.SnapshotJobResult.class))
                        .or(JavaClass.Predicates.type(io.dbsnap.api.job.AgentSnapshotArgs.class))));
    }

    @Test
    void theSharedApiTypesKnowNoResource() {
        rule(noClasses().that().resideInAPackage("io.dbsnap.api.v1alpha1.common..").should().dependOnClassesThat()
                .resideInAnyPackage("io.dbsnap.api.v1alpha1.snapshot..", "io.dbsnap.api.v1alpha1.restore.."));
    }

    @Test
    void theCliUsesNoOperator() {
        rule(noClasses().that().resideInAPackage("io.dbsnap.cli..").should().dependOnClassesThat()
                .resideInAnyPackage("io.dbsnap.operator..", "io.dbsnap.sandbox..", "io.javaoperatorsdk.."));
    }

    @Test
    void theSandboxUsesNothingOfDbsnap() {
        rule(noClasses().that().resideInAPackage("io.dbsnap.sandbox..").should().dependOnClassesThat()
                .resideInAnyPackage("io.dbsnap.api..", "io.dbsnap.core..", "io.dbsnap.cli..", "io.dbsnap.operator.."));
    }

    private static void rule(ArchRule rule) {
        rule.check(main);
    }
}
