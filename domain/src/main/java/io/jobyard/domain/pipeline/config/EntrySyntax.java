package io.jobyard.domain.pipeline.config;

import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.text.TextLimit;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static io.jobyard.domain.pipeline.config.ConfigValues.hash;
import static io.jobyard.domain.pipeline.config.ConfigValues.isArray;
import static io.jobyard.domain.pipeline.config.ConfigValues.isArrayOfIntegersOrInteger;
import static io.jobyard.domain.pipeline.config.ConfigValues.isArrayOfStrings;
import static io.jobyard.domain.pipeline.config.ConfigValues.isArrayOfStringsOrString;
import static io.jobyard.domain.pipeline.config.ConfigValues.isBlank;
import static io.jobyard.domain.pipeline.config.ConfigValues.isBoolean;
import static io.jobyard.domain.pipeline.config.ConfigValues.isHash;
import static io.jobyard.domain.pipeline.config.ConfigValues.isString;
import static io.jobyard.domain.pipeline.config.LintMessage.attribute;
import static io.jobyard.domain.pipeline.config.LintMessage.config;

/**
 * The syntax checks of GitLab's configuration entries below a job or {@code default:} ({@code lib/gitlab/ci/config/
 * entry/*.rb} and the validators of {@code lib/gitlab/config/entry/validators.rb}): each method answers an entry's
 * errors, its own first and then its children's, which GitLab only looks at when the entry itself is valid. Callers
 * only ask about entries that are given (a null value is "unspecified" in GitLab and never validated).
 */
final class EntrySyntax {
    static final String BOOLEAN = "should be a boolean value";
    static final String ARRAY_OF_STRINGS = "should be an array of strings";
    static final String ARRAY_OF_STRINGS_OR_STRING = "should be an array of strings or a string";
    static final String BLANK = "can't be blank";
    static final String DURATION = "should be a duration";
    private static final String LIMIT = "should not exceed the limit";
    /** {@code Entry::Tags::TAGS_LIMIT}. */
    private static final int TAGS_LIMIT = 50;
    /** GitLab's {@code UntrustedRegexp::RubySyntax::PATTERN}: a regular expression is written {@code /.../flags}. */
    private static final Pattern RUBY_REGEXP = Pattern.compile("^/(.*)/([ismU]*)$", Pattern.DOTALL);
    /** What RE2, GitLab's regular-expression engine, does not have and Java's does. */
    private static final Pattern NOT_RE2 = Pattern.compile("\\(\\?<?[=!]|\\\\[1-9]|\\(\\?>|[*+?}][+]");

    private EntrySyntax() {
    }

    /** {@code Entry::Commands} (script, before_script, after_script). */
    static List<String> commands(String location, Object value) {
        if (ConfigValues.isStringOrNestedArrayOfStrings(value, ConfigValues.MAX_SCRIPT_NESTING)) {
            return List.of();
        }
        return List.of(config(location, "should be a string or a nested array of strings up to "
                + ConfigValues.MAX_SCRIPT_NESTING + " levels deep"));
    }

    /** {@code Entry::Stage}. */
    static List<String> stage(String location, Object value) {
        if (!isString(value)) {
            return List.of(config(location, "should be a string"));
        }
        return TextLimit.STAGE.fits((String) value) ? List.of() : List.of(config(location, tooLong(TextLimit.STAGE)));
    }

    /** {@code Entry::Stages}. */
    static List<String> stages(Object value) {
        if (!isArrayOfStrings(value)) {
            return List.of(config("stages", ARRAY_OF_STRINGS));
        }
        boolean fit = ConfigValues.array(value).stream().allMatch(stage -> TextLimit.STAGE.fits((String) stage));
        return fit ? List.of() : List.of(config("stages", "contains a stage name that " + tooLong(TextLimit.STAGE)));
    }

    /**
     * Rails' length message, for values longer than Jobyard stores ({@link TextLimit}). GitLab keeps these values in
     * unbounded columns and has no such entry errors; the wording is its validators' own.
     */
    static String tooLong(TextLimit limit) {
        return "is too long (maximum is " + limit.maxLength() + " characters)";
    }

    /** {@code Gitlab::Config::Entry::Boolean} (interruptible). */
    static List<String> bool(String location, Object value) {
        return isBoolean(value) ? List.of() : List.of(config(location, BOOLEAN));
    }

    /** {@code Entry::Tags}. */
    static List<String> tags(String location, Object value) {
        List<String> errors = new ArrayList<>();
        if (!isArrayOfStrings(value)) {
            errors.add(config(location, ARRAY_OF_STRINGS));
        }
        if (isArray(value) && ConfigValues.array(value).size() >= TAGS_LIMIT) {
            errors.add(config(location, "must be less than the limit of " + TAGS_LIMIT + " tags"));
        }
        // A longer tag could never match a runner's: runners' tags are stored with this limit.
        if (isArrayOfStrings(value)
                && !ConfigValues.array(value).stream().allMatch(tag -> TextLimit.RUNNER_TAG.fits((String) tag))) {
            errors.add(config(location, "contains a tag that " + tooLong(TextLimit.RUNNER_TAG)));
        }
        return errors;
    }

    /** {@code Entry::Timeout}: a duration up to a month. */
    static List<String> timeout(String location, Object value) {
        List<String> errors = new ArrayList<>();
        duration(value, CiDuration.MAX_TIMEOUT, message -> errors.add(config(location, message)));
        return errors;
    }

    /** {@code Entry::Job}'s {@code validates :start_in, duration: { limit: '1 week' }}. */
    static void startIn(Object value, Consumer<String> error) {
        duration(value, CiDuration.MAX_START_IN, error);
    }

    private static void duration(Object value, Duration limit, Consumer<String> error) {
        Optional<Duration> parsed = CiDuration.parse(value);
        if (parsed.isEmpty()) {
            error.accept(DURATION);
        }
        if (parsed.isEmpty() || parsed.get().compareTo(limit) > 0) {
            error.accept(LIMIT);
        }
    }

    /** {@code Entry::Coverage}: a {@code /regular expression/} RE2 accepts. */
    static List<String> coverage(String location, Object value) {
        return isRegexp(value) ? List.of() : List.of(config(location, "must be a regular expression with re2 syntax"));
    }

    private static boolean isRegexp(Object value) {
        if (!(value instanceof String text)) {
            return false;
        }
        Matcher matcher = RUBY_REGEXP.matcher(text);
        if (!matcher.matches() || NOT_RE2.matcher(matcher.group(1)).find()) {
            return false;
        }
        try {
            Pattern.compile(matcher.group(1));
            return true;
        } catch (PatternSyntaxException invalid) {
            return false;
        }
    }

    /** {@code Entry::Image} (with Imageable's checks first). Jobyard keeps the image name only. */
    static List<String> image(String location, Object value) {
        List<String> errors = imageable(location, value);
        Object name = isString(value) ? value : isHash(value) ? hash(value).get("name") : null;
        if (isString(name) && !TextLimit.IMAGE.fits((String) name)) {
            errors.add(attribute(location, "name", tooLong(TextLimit.IMAGE)));
        }
        if (isHash(value)) {
            List<String> unknown = Keywords.unknown(hash(value), Keywords.IMAGE);
            if (!unknown.isEmpty()) {
                errors.add(unknownKeys(location, unknown));
            }
            unsupported(location, hash(value), Keywords.IMAGE, errors);
        }
        return errors;
    }

    /** {@code Entry::Services}: a list of {@code Entry::Service}. Jobyard keeps service names only. */
    static List<String> services(String location, Object value) {
        if (!isArray(value)) {
            return List.of(config(location, "should be a array"));
        }
        List<String> errors = new ArrayList<>();
        String serviceLocation = location + ":service";
        for (Object service : ConfigValues.array(value)) {
            errors.addAll(service(serviceLocation, service));
        }
        return errors;
    }

    private static List<String> service(String location, Object value) {
        List<String> errors = imageable(location, value);
        if (isHash(value)) {
            Map<String, Object> service = hash(value);
            List<String> unknown = Keywords.unknown(service, Keywords.SERVICE);
            if (!unknown.isEmpty()) {
                errors.add(unknownKeys(location, unknown));
            }
            if (service.get("command") != null && !isArrayOfStrings(service.get("command"))) {
                errors.add(attribute(location, "command", ARRAY_OF_STRINGS));
            }
            if (service.get("alias") != null && !isString(service.get("alias"))) {
                errors.add(attribute(location, "alias", "should be a string"));
            }
            unsupported(location, service, Keywords.SERVICE, errors);
        }
        return errors;
    }

    /** {@code Entry::Imageable}: a name, or a hash with a name. */
    private static List<String> imageable(String location, Object value) {
        List<String> errors = new ArrayList<>();
        if (!isHash(value) && !isString(value)) {
            errors.add(config(location, "should be a hash or a string"));
        }
        Object name = isString(value) ? value : isHash(value) ? hash(value).get("name") : null;
        Object entrypoint = isHash(value) ? hash(value).get("entrypoint") : null;
        if (isHash(value) && hash(value).containsKey("ports")) {
            errors.add(config(location, "contains disallowed keys: ports"));
        }
        if (!isString(name)) {
            errors.add(attribute(location, "name", "should be a string"));
        }
        if (isBlank(name)) {
            errors.add(attribute(location, "name", BLANK));
        }
        if (entrypoint != null && !isArrayOfStrings(entrypoint)) {
            errors.add(attribute(location, "entrypoint", ARRAY_OF_STRINGS));
        }
        return errors;
    }

    /** Everything of an image or service hash but its name is refused: Jobyard's job model keeps names only. */
    private static void unsupported(String location, Map<String, Object> value, Set<String> known,
                                    List<String> errors) {
        List<String> extra = value.keySet().stream()
                .filter(key -> known.contains(key) && !key.equals("name") && value.get(key) != null).toList();
        if (!extra.isEmpty()) {
            errors.add(Keywords.unsupported(location, extra));
        }
    }

    /**
     * {@code Entry::Variables} and {@code Entry::Variable}: values are strings or integers, or hashes of the data
     * keys {@code allowedData} allows ({@code value, description, expand, options} at the top, {@code value, expand}
     * in a job).
     */
    static List<String> variables(String location, Object value, Set<String> allowedData) {
        if (!isHash(value)) {
            return List.of(config(location, "should be a hash"));
        }
        List<String> errors = new ArrayList<>();
        hash(value).forEach((key, definition) -> errors.addAll(variable(location + ":" + key, key, definition,
                allowedData)));
        return errors;
    }

    private static List<String> variable(String location, String key, Object definition, Set<String> allowedData) {
        List<String> errors = new ArrayList<>();
        // GitLab composes `config || {}`: a null or false value is an empty hash, i.e. an empty string.
        Object config = definition == null || Boolean.FALSE.equals(definition) ? Map.of() : definition;
        if (!ConfigValues.isAlphanumeric(config) && !isHash(config)) {
            return List.of("variable definition must be either a string or a hash");
        }
        if (isHash(config)) {
            Map<String, Object> complex = hash(config);
            Object data = complex.get("value");
            if (data != null && !ConfigValues.isAlphanumeric(data)) {
                errors.add(attribute(location, "config_value", "must be an alphanumeric string"));
            }
            Object description = complex.get("description");
            if (description != null && !ConfigValues.isAlphanumeric(description)) {
                errors.add(attribute(location, "config_description", "must be an alphanumeric string"));
            }
            Object expand = complex.get("expand");
            if (expand != null && !isBoolean(expand)) {
                errors.add(attribute(location, "config_expand", BOOLEAN));
            }
            Object options = complex.get("options");
            if (options != null && !isArrayOfStrings(options)) {
                errors.add(attribute(location, "config_options", ARRAY_OF_STRINGS));
            }
            List<String> extra = complex.keySet().stream().filter(k -> !allowedData.contains(k)).toList();
            if (!extra.isEmpty()) {
                errors.add(config(location, "uses invalid data keys: " + String.join(", ", extra)));
            }
            if (!isBlank(options) && isArray(options)
                    && !ConfigValues.array(options).contains(data)) {
                errors.add(config(location, "value must be present in options"));
            }
            if (Boolean.FALSE.equals(expand)) {
                // The job model has no "raw" variables: refusing beats expanding what the author protected.
                errors.add(Keywords.unsupported(location, List.of("expand")));
            }
        }
        if (!key.matches("[A-Za-z0-9_]+")) {
            // GitLab accepts any key here; Jobyard's variables (and the runner's environment) cannot carry it.
            errors.add(attribute(location, "key", "can contain only letters, digits and '_'."));
        } else if (!TextLimit.VARIABLE_KEY.fits(key)) {
            errors.add(attribute(location, "key", tooLong(TextLimit.VARIABLE_KEY)));
        }
        return errors;
    }

    /** {@code Entry::Retry}: an integer 0..2, or {@code {max, when}}. GitLab locates these errors at "retry". */
    static List<String> retry(Object value) {
        String location = "retry";
        if (ConfigValues.isInteger(value)) {
            return numericality(value, 0, 2).map(message -> config(location, message)).stream().toList();
        }
        if (!isHash(value)) {
            return List.of("retry config has to be either an integer or a hash");
        }
        Map<String, Object> retry = hash(value);
        List<String> errors = new ArrayList<>();
        List<String> unknown = Keywords.unknown(retry, Keywords.RETRY);
        if (!unknown.isEmpty()) {
            errors.add(unknownKeys(location, unknown));
        }
        if (retry.get("max") != null) {
            numericality(retry.get("max"), 0, 2).ifPresent(message -> errors.add(attribute(location, "max", message)));
        }
        Object when = retry.get("when");
        if (when != null) {
            if (!isArrayOfStringsOrString(when)) {
                errors.add(attribute(location, "when", ARRAY_OF_STRINGS_OR_STRING));
            }
            Set<String> reasons = retryReasons();
            if (isArray(when)) {
                List<String> unknownReasons = ConfigValues.array(when).stream()
                        .filter(reason -> !reasons.contains(reason)).map(ConfigValues::toS).toList();
                if (!unknownReasons.isEmpty()) {
                    errors.add(attribute(location, "when", "contains unknown values: "
                            + String.join(", ", unknownReasons)));
                }
            } else if (isString(when) && !reasons.contains(when)) {
                errors.add(attribute(location, "when", "is not included in the list"));
            }
        }
        Object exitCodes = retry.get("exit_codes");
        if (exitCodes != null && !isArrayOfIntegersOrInteger(exitCodes)) {
            errors.add(attribute(location, "exit_codes", "should be an array of integers or an integer"));
        }
        if (exitCodes != null) {
            errors.add(Keywords.unsupported(location, List.of("exit_codes")));
        }
        return errors;
    }

    /** {@code FullRetry.possible_retry_when_values}: the build failure reasons and "always". */
    static Set<String> retryReasons() {
        Set<String> reasons = new HashSet<>();
        for (FailureReason reason : FailureReason.values()) {
            reasons.add(reason.wireName());
        }
        reasons.add("always");
        return reasons;
    }

    /** ActiveModel's numericality with {@code only_integer} and an inclusive range. */
    private static Optional<String> numericality(Object value, int min, int max) {
        BigDecimal number;
        if (ConfigValues.isInteger(value)) {
            number = new BigDecimal(value.toString());
        } else if (value instanceof Number) {
            return Optional.of("must be an integer");
        } else if (value instanceof String text) {
            try {
                new BigDecimal(text.trim());
            } catch (NumberFormatException notANumber) {
                return Optional.of("is not a number");
            }
            if (!text.matches("[+-]?\\d+")) {
                return Optional.of("must be an integer");
            }
            number = new BigDecimal(text);
        } else {
            return Optional.of("is not a number");
        }
        if (number.compareTo(BigDecimal.valueOf(min)) < 0) {
            return Optional.of("must be greater than or equal to " + min);
        }
        if (number.compareTo(BigDecimal.valueOf(max)) > 0) {
            return Optional.of("must be less than or equal to " + max);
        }
        return Optional.empty();
    }

    /** {@code Entry::AllowFailure}, checked once the job accepted it as a hash or a boolean. */
    static List<String> allowFailure(String location, Object value) {
        List<String> errors = new ArrayList<>();
        if (!isHash(value)) {
            return errors;
        }
        Map<String, Object> criteria = hash(value);
        List<String> unknown = Keywords.unknown(criteria, Set.of("exit_codes"));
        if (!unknown.isEmpty()) {
            errors.add(unknownKeys(location, unknown));
        }
        Object exitCodes = criteria.get("exit_codes");
        if (exitCodes != null && !isArrayOfIntegersOrInteger(exitCodes)) {
            errors.add(attribute(location, "exit_codes", "should be an array of integers or an integer"));
        }
        if (exitCodes != null) {
            // Allowing a failure by exit code needs the runner's exit code at drop time; Jobyard's job model has no
            // place for the codes, so it refuses them rather than fail such jobs for real.
            errors.add(Keywords.unsupported(location, List.of("exit_codes")));
        }
        return errors;
    }

    /** {@code Entry::Needs}: a list (or one hash) of job names or {@code {job, artifacts, optional}}. */
    static List<String> needs(String location, Object value) {
        if (!isHash(value) && !isArray(value)) {
            return List.of(config(location, "can only be a Hash or an Array"));
        }
        if (isHash(value) && hash(value).isEmpty()) {
            return List.of(config(location, "can not be an empty Hash"));
        }
        List<String> errors = new ArrayList<>();
        String needLocation = location + ":need";
        for (Object need : flatten(value)) {
            errors.addAll(need(needLocation, need));
        }
        return errors;
    }

    /** Ruby's {@code [config].flatten}. */
    static List<Object> flatten(Object value) {
        List<Object> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(element -> out.addAll(flatten(element)));
        } else {
            out.add(value);
        }
        return out;
    }

    private static List<String> need(String location, Object need) {
        List<String> errors = new ArrayList<>();
        if (isString(need)) {
            if (isBlank(need)) {
                errors.add(config(location, BLANK));
            }
            return errors;
        }
        if (!isHash(need) || !hash(need).containsKey("job")) {
            // GitLab's Need::UnknownStrategy: its message is not lower-cased.
            return List.of(location + " has an unsupported type");
        }
        Map<String, Object> hash = hash(need);
        if (hash.containsKey("project") || hash.containsKey("pipeline") || hash.containsKey("ref")) {
            return List.of(Keywords.unsupported(location, Keywords.present(hash, Set.of("project", "pipeline",
                    "ref"))));
        }
        List<String> unknown = Keywords.unknown(hash, Keywords.NEED);
        if (!unknown.isEmpty()) {
            errors.add(unknownKeys(location, unknown));
        }
        if (!isString(hash.get("job"))) {
            errors.add(attribute(location, "job", "should be a string"));
        }
        if (isBlank(hash.get("job"))) {
            errors.add(attribute(location, "job", BLANK));
        }
        if (hash.get("artifacts") != null && !isBoolean(hash.get("artifacts"))) {
            errors.add(attribute(location, "artifacts", BOOLEAN));
        }
        if (hash.get("optional") != null && !isBoolean(hash.get("optional"))) {
            errors.add(attribute(location, "optional", BOOLEAN));
        }
        return errors;
    }

    static void checkValue(Map<String, Object> config, String key, Predicate<Object> valid,
                              String message, String location, List<String> errors) {
        Object value = config.get(key);
        if (value != null && !valid.test(value)) {
            errors.add(attribute(location, key, message));
        }
    }

    /** {@code validates key, type: String, inclusion: { in: allowed, message: "should be one of: ..." }}. */
    static void oneOf(Map<String, Object> config, String key, Collection<String> allowed, String location,
                      List<String> errors) {
        Object value = config.get(key);
        if (value == null) {
            return;
        }
        if (!isString(value)) {
            errors.add(attribute(location, key, "should be a string"));
        }
        if (!allowed.contains(value)) {
            errors.add(attribute(location, key, "should be one of: " + String.join(", ", allowed)));
        }
    }

    static String unknownKeys(String location, List<String> keys) {
        return config(location, "contains unknown keys: " + String.join(", ", keys));
    }
}
