package io.jobyard.bootstrap.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/** Jobyard's production classes keep the hexagon's boundaries. */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                // jobyard-port-contracts is test code published for adapters' tests (JUnit, AssertJ): not production
                .withImportOption(location -> !location.contains("port-contracts"))
                .importPackages("io.jobyard");
    }

    static Stream<ArchRule> rules() {
        ArchitectureRules rules = new ArchitectureRules("io.jobyard");
        return Stream.of(
                rules.domainDependsOnlyOnItselfAndJava(),
                rules.applicationDependsOnlyOnDomainAndJava(),
                rules.adaptersDoNotDependOnEachOther(),
                rules.jacksonOnlyInHttpAdapter(),
                rules.jdbiAndJdbcOnlyInJdbcAdapter(),
                rules.undertowOnlyInHttpAdapterAndBootstrap(),
                rules.awsSdkOnlyInStorageAdapter(),
                rules.micrometerOnlyInBootstrap(),
                rules.bouncyCastleOnlyInCryptoAdapter(),
                rules.useCasesAreInterfacesInInboundPorts(),
                rules.portsAreInterfaces(),
                rules.servicesAreBuiltOnlyByTheFactory(),
                rules.useCasesAreImplementedInTheirFeature(),
                rules.serviceFeaturesAreFreeOfCycles(),
                rules.outboundPortsAreInterfacesAndRecords());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void productionCodeKeepsTheBoundary(ArchRule rule) {
        rule.check(production);
    }
}
