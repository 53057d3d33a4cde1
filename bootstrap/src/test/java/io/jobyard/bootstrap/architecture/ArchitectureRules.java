package io.jobyard.bootstrap.architecture;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The boundaries of the hexagon, as rules over a root package. The real test applies them to {@code io.jobyard};
 * {@link ArchitectureRulesBiteTest} applies the same rules to planted violations under a fixture root, so no rule can
 * pass vacuously.
 */
final class ArchitectureRules {
    private final String root;

    ArchitectureRules(String root) {
        this.root = root;
    }

    private String pkg(String relative) {
        return root + "." + relative;
    }

    ArchRule domainDependsOnlyOnItselfAndJava() {
        return classes().that().resideInAPackage(pkg("domain.."))
                .should().onlyDependOnClassesThat().resideInAnyPackage(pkg("domain.."), "java..")
                .as("domain depends only on itself and java.*");
    }

    ArchRule applicationDependsOnlyOnDomainAndJava() {
        return classes().that().resideInAPackage(pkg("application.."))
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(pkg("application.."), pkg("domain.."), "java..")
                .as("application depends only on domain and java.*");
    }

    ArchRule adaptersDoNotDependOnEachOther() {
        return slices().matching(pkg("adapter.(*).."))
                .should().notDependOnEachOther()
                .as("adapters do not depend on each other");
    }

    ArchRule jacksonOnlyInHttpAdapter() {
        return noClasses().that().resideOutsideOfPackage(pkg("adapter.http.."))
                .and().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
                .as("Jackson is used only in adapter-http");
    }

    ArchRule jdbiAndJdbcOnlyInJdbcAdapter() {
        return noClasses().that().resideOutsideOfPackage(pkg("adapter.jdbc.."))
                .and().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..", "org.flywaydb..",
                        "org.h2..", "org.postgresql..")
                .as("JDBI and JDBC are used only in adapter-jdbc");
    }

    ArchRule undertowOnlyInHttpAdapterAndBootstrap() {
        return noClasses().that().resideOutsideOfPackages(pkg("adapter.http.."), pkg("bootstrap.."))
                .and().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undertow..", "org.xnio..")
                .as("Undertow is used only in adapter-http and bootstrap");
    }

    ArchRule awsSdkOnlyInStorageAdapter() {
        return noClasses().that().resideOutsideOfPackage(pkg("adapter.storage.."))
                .and().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon..")
                .as("the AWS SDK is used only in adapter-storage");
    }

    ArchRule micrometerOnlyInBootstrap() {
        return noClasses().that().resideOutsideOfPackage(pkg("bootstrap.."))
                .and().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .as("Micrometer is used only in bootstrap");
    }

    ArchRule bouncyCastleOnlyInCryptoAdapter() {
        return noClasses().that().resideOutsideOfPackage(pkg("adapter.crypto.."))
                .and().resideInAPackage(root + "..")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
                .as("Bouncy Castle is used only in adapter-crypto");
    }

    ArchRule useCasesAreInterfacesInInboundPorts() {
        return classes().that().haveSimpleNameEndingWith("UseCase")
                .and().resideInAPackage(root + "..")
                .should().beInterfaces().andShould().resideInAPackage(pkg("application.port.in.."))
                .as("use cases are interfaces in application.port.in");
    }

    ArchRule portsAreInterfaces() {
        return classes().that().resideInAPackage(pkg("application.port.out.."))
                .and().haveNameMatching(".*(Repository|Store)")
                .should().beInterfaces()
                .as("outbound ports (repositories and stores) are interfaces");
    }
}
