package io.jobyard.examples.host;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.jobyard.examples.rules.PublicApi;
import org.junit.jupiter.api.Test;

/** The host and its tests use only Jobyard's public packages (PublicApiBiteTest shows the rule bites). */
class UsesOnlyPublicApiTest {
    @Test
    void onlyPublicApi() {
        PublicApi.onlyPublicApiIn("io.jobyard.examples.host..")
                .check(new ClassFileImporter().importPackages("io.jobyard.examples.host"));
    }
}
