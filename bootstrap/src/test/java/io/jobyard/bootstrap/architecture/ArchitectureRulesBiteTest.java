package io.jobyard.bootstrap.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each architecture rule, applied to a set of planted violations (test-only classes under
 * {@code io.jobyard.archfixture}), must report them. A rule that cannot fail would protect nothing.
 */
class ArchitectureRulesBiteTest {
    private static JavaClasses planted;

    @BeforeAll
    static void importPlantedViolations() {
        planted = new ClassFileImporter().importPackages("io.jobyard.archfixture");
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> rulesAndTheirPlantedViolation() {
        return Stream.of(
                arguments("domain depends only on itself", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::domainDependsOnlyOnItselfAndJava, "DomainUsingJackson"),
                arguments("application depends only on domain", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::applicationDependsOnlyOnDomainAndJava, "ApplicationUsingJdbi"),
                arguments("adapters independent", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::adaptersDoNotDependOnEachOther, "HttpUsingJdbcAdapter"),
                arguments("Jackson only in HTTP", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::jacksonOnlyInHttpAdapter, "DomainUsingJackson"),
                arguments("JDBI only in JDBC", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::jdbiAndJdbcOnlyInJdbcAdapter, "ApplicationUsingJdbi"),
                arguments("Undertow only in HTTP and bootstrap", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::undertowOnlyInHttpAdapterAndBootstrap, "JdbcUsingUndertow"),
                arguments("AWS only in storage", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::awsSdkOnlyInStorageAdapter, "HttpUsingJdbcAdapter"),
                arguments("Micrometer only in bootstrap", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::micrometerOnlyInBootstrap, "ServiceCountingWithMicrometer"),
                arguments("Bouncy Castle only in crypto", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::bouncyCastleOnlyInCryptoAdapter, "ServiceHashingWithBouncyCastle"),
                arguments("use cases are port.in interfaces", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::useCasesAreInterfacesInInboundPorts, "ListThingsUseCase"),
                arguments("outbound ports are interfaces", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::portsAreInterfaces, "ThingRepository"),
                arguments("services built only by the factory", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::servicesAreBuiltOnlyByTheFactory, "WiringByHand"),
                arguments("use cases implemented in their feature", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::useCasesAreImplementedInTheirFeature, "ThingsService"),
                arguments("service features free of cycles", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::serviceFeaturesAreFreeOfCycles, "PingService"),
                arguments("port.out holds interfaces and records", (Function<ArchitectureRules, ArchRule>)
                        ArchitectureRules::outboundPortsAreInterfacesAndRecords, "ThingStream"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulesAndTheirPlantedViolation")
    void ruleReportsThePlantedViolation(String name, Function<ArchitectureRules, ArchRule> rule,
                                        String violatingClass) {
        EvaluationResult result = rule.apply(new ArchitectureRules("io.jobyard.archfixture")).evaluate(planted);

        assertThat(result.hasViolation()).as(name).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails())).contains(violatingClass);
    }
}
