package io.jobyard.examples.rules;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Jobyard's public API, as packages, and the rule that keeps code outside Jobyard on it.
 *
 * <p>The convention: a package is public if it is listed here, and internal otherwise. Public are the domain model,
 * the use cases (inbound ports) and the ports adapters implement (outbound ports), the port contracts and in-memory
 * ports an adapter author tests with, the stores a host wires or decorates, and {@code io.jobyard.bootstrap} (the
 * {@code Jobyard} builder, its events, the standalone server). Everything else — the services behind the use cases,
 * the HTTP, JDBC and crypto adapters' insides, bootstrap's sub-packages — is internal: it changes without notice.
 */
public final class PublicApi {
    /** ArchUnit package patterns: {@code ..} takes sub-packages in, a plain name only the package itself. */
    public static final List<String> PACKAGES = List.of(
            "io.jobyard.domain..",
            "io.jobyard.application.port.in..",
            "io.jobyard.application.port.out..",
            "io.jobyard.application.contract..",
            "io.jobyard.application.memory..",
            "io.jobyard.adapter.storage.fs",
            "io.jobyard.adapter.storage.s3",
            "io.jobyard.bootstrap");

    private PublicApi() {
    }

    /**
     * Jobyard's classes outside {@link #PACKAGES}, leaving out the examples ({@code io.jobyard.examples}, which are not
     * Jobyard) and {@code own}, the checked code's own packages.
     */
    public static DescribedPredicate<JavaClass> internalToJobyard(String... own) {
        return resideInAPackage("io.jobyard..")
                .and(DescribedPredicate.not(resideInAnyPackage(PACKAGES.toArray(String[]::new))))
                .and(DescribedPredicate.not(resideInAPackage("io.jobyard.examples..")))
                .and(DescribedPredicate.not(resideInAnyPackage(own)))
                .as("Jobyard's internal packages (not in PublicApi.PACKAGES)");
    }

    /** Classes in {@code packages} use none of Jobyard's internal classes. */
    public static ArchRule onlyPublicApiIn(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat(internalToJobyard(packages))
                .because("hosts and adapters build on Jobyard's public API; its internal packages change freely");
    }
}
