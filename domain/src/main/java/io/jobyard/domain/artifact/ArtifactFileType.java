package io.jobyard.domain.artifact;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import static io.jobyard.domain.artifact.ArtifactFormat.GZIP;
import static io.jobyard.domain.artifact.ArtifactFormat.RAW;
import static io.jobyard.domain.artifact.ArtifactFormat.ZIP;

/**
 * GitLab's {@code file_type} enum with the one format each type must have, the default file name, and whether the
 * type can be downloaded through the API (contract §4).
 */
public enum ArtifactFileType {
    ARCHIVE(1, ZIP, true, "artifacts.zip"),
    METADATA(2, GZIP, false, "metadata.gz"),
    TRACE(3, RAW, false, "job.log"),
    JUNIT(4, GZIP, true, "junit.xml.gz"),
    SAST(5, RAW, true, "gl-sast-report.json"),
    DEPENDENCY_SCANNING(6, RAW, true, "gl-dependency-scanning-report.json"),
    CONTAINER_SCANNING(7, RAW, true, "gl-container-scanning-report.json"),
    DAST(8, RAW, true, "gl-dast-report.json"),
    CODEQUALITY(9, RAW, true, "gl-code-quality-report.json"),
    PERFORMANCE(11, RAW, true, "performance.json"),
    METRICS(12, GZIP, true, "metrics.txt.gz"),
    METRICS_REFEREE(13, GZIP, false, "metrics_referee.json.gz"),
    NETWORK_REFEREE(14, GZIP, false, "network_referee.json.gz"),
    LSIF(15, ZIP, true, "lsif.json.zip"),
    DOTENV(16, GZIP, true, ".env.gz"),
    COBERTURA(17, GZIP, true, "cobertura-coverage.xml.gz"),
    TERRAFORM(18, RAW, false, "tfplan.json"),
    ACCESSIBILITY(19, RAW, true, "gl-accessibility.json"),
    CLUSTER_APPLICATIONS(20, GZIP, false, "gl-cluster-applications.json.gz"),
    SECRET_DETECTION(21, RAW, true, "gl-secret-detection-report.json"),
    REQUIREMENTS(22, RAW, true, "requirements.json"),
    COVERAGE_FUZZING(23, RAW, false, "gl-coverage-fuzzing.json"),
    BROWSER_PERFORMANCE(24, RAW, true, "browser-performance.json"),
    LOAD_PERFORMANCE(25, RAW, true, "load-performance.json"),
    API_FUZZING(26, RAW, true, "gl-api-fuzzing-report.json"),
    CLUSTER_IMAGE_SCANNING(27, RAW, true, "gl-cluster-image-scanning-report.json"),
    CYCLONEDX(28, GZIP, true, "gl-sbom.cdx.json.gz"),
    REQUIREMENTS_V2(29, RAW, true, "requirements_v2.json"),
    ANNOTATIONS(30, GZIP, false, "gl-annotations.json.gz"),
    REPOSITORY_XRAY(31, GZIP, false, "repository-xray.json.gz"),
    JACOCO(32, GZIP, true, "jacoco.xml.gz"),
    LICENSE_SCANNING(101, RAW, true, "gl-license-scanning-report.json");

    private final int code;
    private final ArtifactFormat requiredFormat;
    private final boolean downloadable;
    private final String defaultFilename;

    ArtifactFileType(int code, ArtifactFormat requiredFormat, boolean downloadable, String defaultFilename) {
        this.code = code;
        this.requiredFormat = requiredFormat;
        this.downloadable = downloadable;
        this.defaultFilename = defaultFilename;
    }

    public int code() {
        return code;
    }

    public ArtifactFormat requiredFormat() {
        return requiredFormat;
    }

    /** Whether the API lets clients download this type. */
    public boolean downloadable() {
        return downloadable;
    }

    /** Everything but the trace is removed by "delete job artifacts"; the log stays until the job is erased. */
    public boolean erasable() {
        return this != TRACE;
    }

    public String defaultFilename() {
        return defaultFilename;
    }

    /** Whether an upload of this type in {@code format} is allowed ("Invalid file format with specified file type"). */
    public boolean accepts(ArtifactFormat format) {
        return requiredFormat == format;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ArtifactFileType> fromWireName(String value) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(value)).findFirst();
    }

    public static ArtifactFileType fromCode(int code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown artifact file type code " + code));
    }
}
