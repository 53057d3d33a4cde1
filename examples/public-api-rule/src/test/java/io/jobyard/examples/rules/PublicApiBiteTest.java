package io.jobyard.examples.rules;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import io.jobyard.examples.rules.fixture.HostOnThePublicApi;
import io.jobyard.examples.rules.fixture.HostReachingIntoServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule reports a planted use of an internal class, and lets a host on the public API through. */
class PublicApiBiteTest {
    private static final String FIXTURE = "io.jobyard.examples.rules.fixture";

    @Test
    void aHostUsingAnInternalClassIsReported() {
        JavaClasses planted = new ClassFileImporter().importClasses(HostReachingIntoServices.class);

        EvaluationResult result = PublicApi.onlyPublicApiIn(FIXTURE + "..").evaluate(planted);

        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails()))
                .contains("HostReachingIntoServices").contains("io.jobyard.adapter.jdbc.JdbcPersistence");
    }

    @Test
    void aHostOnThePublicApiPasses() {
        JavaClasses clean = new ClassFileImporter().importClasses(HostOnThePublicApi.class);

        assertThat(PublicApi.onlyPublicApiIn(FIXTURE + "..").evaluate(clean).hasViolation()).isFalse();
    }

    @Test
    void everyListedPackageExistsInJobyard() {
        JavaClasses jobyard = new ClassFileImporter().importPackages("io.jobyard");
        for (String pattern : PublicApi.PACKAGES) {
            boolean withSubPackages = pattern.endsWith("..");
            String name = withSubPackages ? pattern.substring(0, pattern.length() - 2) : pattern;
            assertThat(jobyard.stream().map(c -> c.getPackageName()).anyMatch(p -> p.equals(name)
                    || withSubPackages && p.startsWith(name + "."))).as("a class in %s", pattern).isTrue();
        }
    }
}
