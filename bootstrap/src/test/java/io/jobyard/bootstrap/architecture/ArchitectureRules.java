package io.jobyard.bootstrap.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

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

    /**
     * Services are built in one place, {@code application.Services}: adding a constructor argument means editing it
     * alone, and the wiring and every test fixture get the services wired the same way.
     */
    ArchRule servicesAreBuiltOnlyByTheFactory() {
        String services = pkg("application.service");
        return noClasses().that().doNotHaveFullyQualifiedName(pkg("application.Services"))
                .and().resideInAPackage(root + "..")
                .should().callConstructorWhere(DescribedPredicate.describe("a service's constructor",
                        call -> call.getTargetOwner().getSimpleName().endsWith("Service")
                                && (call.getTargetOwner().getPackageName().equals(services)
                                || call.getTargetOwner().getPackageName().startsWith(services + "."))))
                .as("services are built only by application.Services");
    }

    /** Packages by feature on both sides of the port: a use case of port.in.(feature) lives in service.(feature). */
    ArchRule useCasesAreImplementedInTheirFeature() {
        String servicePrefix = pkg("application.service.");
        String portPrefix = pkg("application.port.in.");
        return classes().that().resideInAPackage(pkg("application.service.."))
                .should(new ArchCondition<JavaClass>("implement only use cases of their own feature") {
                    @Override
                    public void check(JavaClass service, ConditionEvents events) {
                        String feature = feature(service.getPackageName(), servicePrefix);
                        for (JavaClass port : service.getAllRawInterfaces()) {
                            if (port.getPackageName().startsWith(portPrefix)
                                    && !feature(port.getPackageName(), portPrefix).equals(feature)) {
                                events.add(SimpleConditionEvent.violated(service, service.getName() + " (feature '"
                                        + feature + "') implements " + port.getName()));
                            }
                        }
                    }
                })
                .as("a use case of port.in.(feature) is implemented in service.(feature)");
    }

    /** The first package segment after {@code prefix}: the feature; empty for the root package itself. */
    private static String feature(String packageName, String prefix) {
        if (!packageName.startsWith(prefix)) {
            return "";
        }
        String rest = packageName.substring(prefix.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** Features may build on one another (the runner protocol on pipelines and traces), never in a circle. */
    ArchRule serviceFeaturesAreFreeOfCycles() {
        return slices().matching(pkg("application.service.(*).."))
                .should().beFreeOfCycles()
                .as("the service features do not depend on each other in a cycle");
    }

    /**
     * The outbound ports are interfaces and the records they carry; implementation classes (stream helpers, say)
     * belong elsewhere ({@code application.stream}).
     */
    ArchRule outboundPortsAreInterfacesAndRecords() {
        return classes().that().resideInAPackage(pkg("application.port.out.."))
                .and().areTopLevelClasses()
                .should().beInterfaces().orShould().beRecords()
                .as("application.port.out holds interfaces and records only");
    }
}
