package io.jobyard.domain.artifact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Contract §4: file types with their codes and required formats, downloadable types, erasable types. */
class ArtifactFileTypeTest {

    @ParameterizedTest(name = "{0}({1}) → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            archive                | 1   | zip
            metadata               | 2   | gzip
            trace                  | 3   | raw
            junit                  | 4   | gzip
            sast                   | 5   | raw
            dependency_scanning    | 6   | raw
            container_scanning     | 7   | raw
            dast                   | 8   | raw
            codequality            | 9   | raw
            license_scanning       | 101 | raw
            performance            | 11  | raw
            metrics                | 12  | gzip
            metrics_referee        | 13  | gzip
            network_referee        | 14  | gzip
            lsif                   | 15  | zip
            dotenv                 | 16  | gzip
            cobertura              | 17  | gzip
            terraform              | 18  | raw
            accessibility          | 19  | raw
            cluster_applications   | 20  | gzip
            secret_detection       | 21  | raw
            requirements           | 22  | raw
            coverage_fuzzing       | 23  | raw
            browser_performance    | 24  | raw
            load_performance       | 25  | raw
            api_fuzzing            | 26  | raw
            cluster_image_scanning | 27  | raw
            cyclonedx              | 28  | gzip
            requirements_v2        | 29  | raw
            annotations            | 30  | gzip
            repository_xray        | 31  | gzip
            jacoco                 | 32  | gzip
            """)
    void everyTypeHasItsCodeAndOneRequiredFormat(String wire, int code, String format) {
        ArtifactFileType type = ArtifactFileType.fromWireName(wire).orElseThrow();
        ArtifactFormat required = ArtifactFormat.fromWireName(format).orElseThrow();

        assertThat(type.code()).isEqualTo(code);
        assertThat(ArtifactFileType.fromCode(code)).isEqualTo(type);
        assertThat(type.wireName()).isEqualTo(wire);
        assertThat(type.requiredFormat()).isEqualTo(required);
        for (ArtifactFormat other : ArtifactFormat.values()) {
            assertThat(type.accepts(other)).as("%s in %s", type, other).isEqualTo(other == required);
        }
    }

    @Test
    void theTableAboveCoversEveryType() {
        assertThat(ArtifactFileType.values()).hasSize(32);
    }

    @Test
    void downloadableTypesAreTheContractsList() {
        Set<String> contract = Set.of("accessibility", "api_fuzzing", "archive", "cobertura", "jacoco", "codequality",
                "container_scanning", "dast", "dependency_scanning", "dotenv", "junit", "license_scanning", "lsif",
                "metrics", "performance", "browser_performance", "load_performance", "sast", "secret_detection",
                "requirements", "requirements_v2", "cluster_image_scanning", "cyclonedx");
        Set<String> downloadable = Arrays.stream(ArtifactFileType.values()).filter(ArtifactFileType::downloadable)
                .map(ArtifactFileType::wireName).collect(Collectors.toSet());
        assertThat(downloadable).isEqualTo(contract);
    }

    @ParameterizedTest
    @EnumSource(ArtifactFileType.class)
    void everythingButTheTraceIsErasable(ArtifactFileType type) {
        assertThat(type.erasable()).isEqualTo(type != ArtifactFileType.TRACE);
    }

    @Test
    void formatCodesAndNames() {
        assertThat(EnumSet.allOf(ArtifactFormat.class)).extracting(ArtifactFormat::code).containsExactly(1, 2, 3);
        assertThat(ArtifactFormat.fromWireName("gzip")).contains(ArtifactFormat.GZIP);
        assertThat(ArtifactFormat.fromWireName("tar")).isEmpty();
    }

    @Test
    void unknownTypesAreRefused() {
        assertThat(ArtifactFileType.fromWireName("ARCHIVE")).isEmpty();
        assertThat(ArtifactFileType.fromWireName("network-referee")).isEmpty();
        assertThatThrownBy(() -> ArtifactFileType.fromCode(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"public,PUBLIC", "all,PUBLIC", "true,PUBLIC", "private,PRIVATE", "developer,PRIVATE",
            "false,PRIVATE", "maintainer,MAINTAINER", "none,NONE", "Developer,PRIVATE"})
    void accessibilityFromTheUploadParameterOrTheConfiguration(String given, ArtifactAccessibility expected) {
        assertThat(ArtifactAccessibility.parse(given)).contains(expected);
    }

    @Test
    void unknownAccessibilityIsRefused() {
        assertThat(ArtifactAccessibility.parse("everyone")).isEmpty();
        assertThat(ArtifactAccessibility.parse(null)).isEmpty();
        assertThat(ArtifactAccessibility.PRIVATE.wireName()).isEqualTo("private");
    }
}
