package io.drover.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The cores stay framework-free: Quarkus, Camel and Jakarta live only in the adapters. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.drover");

    @Test
    void cores_do_not_depend_on_frameworks() {
        noClasses().that().resideInAnyPackage("io.drover.persistence..", "io.drover.sandbox..", "io.drover.workers..",
                        "io.drover.scheduler..", "io.drover.orchestrator.spec..", "io.drover.orchestrator.job..",
                        "io.drover.orchestrator.cost..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..", "org.apache.camel..")
                .check(classes);
    }

    @Test
    void sandboxes_know_nothing_of_jobs_or_databases() {
        noClasses().that().resideInAPackage("io.drover.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage("io.drover.persistence..", "io.drover.workers..",
                        "io.drover.orchestrator..", "java.sql..")
                .check(classes);
    }

    @Test
    void persistence_knows_nothing_of_sandboxes_or_routes() {
        noClasses().that().resideInAPackage("io.drover.persistence..")
                .should().dependOnClassesThat().resideInAnyPackage("io.drover.sandbox..", "io.drover.workers..",
                        "io.drover.orchestrator..")
                .check(classes);
    }
}
