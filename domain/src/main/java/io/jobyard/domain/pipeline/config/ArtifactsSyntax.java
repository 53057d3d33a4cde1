package io.jobyard.domain.pipeline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jobyard.domain.pipeline.config.ConfigValues.hash;
import static io.jobyard.domain.pipeline.config.ConfigValues.isArrayOfStringsOrString;
import static io.jobyard.domain.pipeline.config.ConfigValues.isBlank;
import static io.jobyard.domain.pipeline.config.ConfigValues.isHash;
import static io.jobyard.domain.pipeline.config.ConfigValues.isString;
import static io.jobyard.domain.pipeline.config.EntrySyntax.ARRAY_OF_STRINGS;
import static io.jobyard.domain.pipeline.config.EntrySyntax.ARRAY_OF_STRINGS_OR_STRING;
import static io.jobyard.domain.pipeline.config.EntrySyntax.BLANK;
import static io.jobyard.domain.pipeline.config.EntrySyntax.BOOLEAN;
import static io.jobyard.domain.pipeline.config.EntrySyntax.DURATION;
import static io.jobyard.domain.pipeline.config.EntrySyntax.checkValue;
import static io.jobyard.domain.pipeline.config.EntrySyntax.oneOf;
import static io.jobyard.domain.pipeline.config.EntrySyntax.unknownKeys;
import static io.jobyard.domain.pipeline.config.LintMessage.attribute;
import static io.jobyard.domain.pipeline.config.LintMessage.config;

/**
 * The syntax of {@code artifacts:} ({@code Entry::Artifacts}, {@code Entry::Reports} and
 * {@code Entry::Reports::CoverageReport}): GitLab's checks in their order, the reports only once the artifacts
 * entry itself is valid.
 */
final class ArtifactsSyntax {
    private ArtifactsSyntax() {
    }

    /** {@code Entry::Artifacts} and its {@code Entry::Reports}. */
    static List<String> check(String location, Object value) {
        if (!isHash(value)) {
            return List.of(config(location, "should be a hash"));
        }
        Map<String, Object> artifacts = hash(value);
        List<String> errors = new ArrayList<>();
        List<String> unknown = Keywords.unknown(artifacts, Keywords.ARTIFACTS);
        if (!unknown.isEmpty()) {
            errors.add(unknownKeys(location, unknown));
        }
        List<String> exclusive = artifacts.keySet().stream()
                .filter(key -> key.equals("access") || key.equals("public")).toList();
        if (exclusive.size() > 1) {
            errors.add(config(location, "these keys cannot be used together: " + String.join(", ", exclusive)));
        }
        checkValue(artifacts, "name", ConfigValues::isString, "should be a string", location, errors);
        checkValue(artifacts, "public", ConfigValues::isBoolean, BOOLEAN, location, errors);
        checkValue(artifacts, "untracked", ConfigValues::isBoolean, BOOLEAN, location, errors);
        checkValue(artifacts, "paths", ConfigValues::isArrayOfStrings, ARRAY_OF_STRINGS, location, errors);
        checkValue(artifacts, "exclude", ConfigValues::isArrayOfStrings, ARRAY_OF_STRINGS, location, errors);
        checkValue(artifacts, "reports", ConfigValues::isHash, "should be a hash", location, errors);
        oneOf(artifacts, "when", Keywords.ARTIFACTS_WHEN, location, errors);
        checkValue(artifacts, "expire_in", CiDuration::isExpireIn, DURATION, location, errors);
        oneOf(artifacts, "access", Keywords.ARTIFACTS_ACCESS, location, errors);
        List<String> unsupported = Keywords.present(artifacts, Keywords.ARTIFACTS_UNSUPPORTED);
        if (!unsupported.isEmpty()) {
            errors.add(Keywords.unsupported(location, unsupported));
        }
        if (errors.isEmpty() && artifacts.get("reports") != null) {
            errors.addAll(reports(location + ":reports", hash(artifacts.get("reports"))));
        }
        return errors;
    }

    private static List<String> reports(String location, Map<String, Object> reports) {
        List<String> errors = new ArrayList<>();
        List<String> unknown = Keywords.unknown(reports, Keywords.REPORTS);
        if (!unknown.isEmpty()) {
            errors.add(unknownKeys(location, unknown));
        }
        for (String type : Keywords.REPORTS) {
            Object paths = reports.get(type);
            if (!type.equals("coverage_report") && paths != null && !isArrayOfStringsOrString(paths)) {
                errors.add(attribute(location, type, ARRAY_OF_STRINGS_OR_STRING));
            }
        }
        if (errors.isEmpty() && reports.get("coverage_report") != null) {
            errors.addAll(coverageReport(location + ":coverage_report", reports.get("coverage_report")));
        }
        return errors;
    }

    /** {@code Entry::Reports::CoverageReport}. */
    private static List<String> coverageReport(String location, Object value) {
        if (!isHash(value)) {
            return List.of(config(location, "should be a hash"));
        }
        Map<String, Object> report = hash(value);
        List<String> errors = new ArrayList<>();
        List<String> unknown = Keywords.unknown(report, Set.of("coverage_format", "path"));
        if (!unknown.isEmpty()) {
            errors.add(unknownKeys(location, unknown));
        }
        Object format = report.get("coverage_format");
        if (isBlank(format)) {
            errors.add(attribute(location, "coverage_format", BLANK));
        }
        if (!Keywords.COVERAGE_FORMATS.contains(format)) {
            errors.add(attribute(location, "coverage_format", "must be one of supported formats: "
                    + String.join(", ", Keywords.COVERAGE_FORMATS) + "."));
        }
        Object path = report.get("path");
        if (isBlank(path)) {
            errors.add(attribute(location, "path", BLANK));
        }
        if (!isString(path)) {
            errors.add(attribute(location, "path", "should be a string"));
        }
        return errors;
    }
}
