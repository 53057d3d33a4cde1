package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.params.Params;
import io.jobyard.application.port.out.JobFilter;
import io.jobyard.application.port.out.JobOrdering.JobOrder;
import io.jobyard.application.port.out.JobOrdering;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.job.FailureReason;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineId;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.user.UserId;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Jobyard's filters and orders of the job lists, beyond GitLab's {@code scope} (which GitLab's clients keep sending
 * alone; GitLab ignores the parameters it does not declare, so none of these changes what a GitLab client gets):
 * {@code name} (exact, or with {@code *} as wildcard), {@code stage}, {@code ref}, {@code sha}, {@code pipeline_id}
 * (project list only), {@code username}, {@code user_id}, {@code runner_id}, {@code failure_reason}, {@code source},
 * {@code tag}, {@code with_artifacts}, {@code artifact_type}, {@code created_after/_before},
 * {@code updated_after/_before}, {@code finished_after/_before}, {@code order_by} ({@code id}, {@code created_at},
 * {@code updated_at}, {@code finished_at}, {@code duration}) and {@code sort} ({@code asc}, {@code desc}).
 *
 * <p>They are validated as Grape validates declared parameters, before anything is looked up, with its messages:
 * {@code "<name> is invalid"} for a value of the wrong type, {@code "<name> does not have a valid value"} for one
 * outside a list. Ids no record can have (0, negative, beyond a long) match nothing.
 *
 * @param username who triggered the jobs, by username, or null
 */
record JobListParams(JobFilter filter, String username, JobOrdering ordering) {
    static final int MAX_TAG_LENGTH = 1024;
    private static final Map<String, JobOrder> ORDERS = byName(JobOrder.values(), o -> o.name());
    private static final Map<String, Boolean> SORTS = Map.of("asc", true, "desc", false);
    private static final Map<String, FailureReason> REASONS = byName(FailureReason.values(), FailureReason::wireName);
    private static final Map<String, PipelineSource> SOURCES =
            byName(PipelineSource.values(), PipelineSource::wireName);
    private static final Map<String, ArtifactFileType> TYPES =
            byName(ArtifactFileType.values(), ArtifactFileType::wireName);
    private static final long NO_SUCH_ID = Long.MAX_VALUE;

    /**
     * @param scope        the statuses of {@code scope}, read by the caller (the two lists coerce it differently)
     * @param withPipeline whether {@code pipeline_id} is a filter (the project list) or the list's own path parameter
     */
    static JobListParams read(Params params, Set<JobStatus> scope, boolean withPipeline) {
        JobFilter.Builder filter = JobFilter.builder().statuses(scope);
        filter.name(text(params, "name"));
        filter.stage(text(params, "stage"));
        filter.ref(text(params, "ref"));
        filter.sha(text(params, "sha"));
        if (withPipeline) {
            id(params, "pipeline_id").ifPresent(id -> filter.pipeline(PipelineId.of(id)));
        }
        String username = text(params, "username");
        id(params, "user_id").ifPresent(id -> filter.user(UserId.of(id)));
        id(params, "runner_id").ifPresent(id -> filter.runner(RunnerId.of(id)));
        ParamValues.choice(params, "failure_reason", REASONS).ifPresent(filter::failureReason);
        ParamValues.choice(params, "source", SOURCES).ifPresent(filter::source);
        String tag = text(params, "tag");
        if (tag != null && tag.length() > MAX_TAG_LENGTH) {
            throw new InvalidParameterException("tag is expected to have length less than or equal to "
                    + MAX_TAG_LENGTH);
        }
        filter.tag(tag);
        params.bool("with_artifacts").ifPresent(filter::withArtifacts);
        ParamValues.choice(params, "artifact_type", TYPES).ifPresent(filter::artifactType);
        filter.createdAfter(ParamValues.dateTime(params, "created_after").orElse(null));
        filter.createdBefore(ParamValues.dateTime(params, "created_before").orElse(null));
        filter.updatedAfter(ParamValues.dateTime(params, "updated_after").orElse(null));
        filter.updatedBefore(ParamValues.dateTime(params, "updated_before").orElse(null));
        filter.finishedAfter(ParamValues.dateTime(params, "finished_after").orElse(null));
        filter.finishedBefore(ParamValues.dateTime(params, "finished_before").orElse(null));
        JobOrder order = ParamValues.choice(params, "order_by", ORDERS).orElse(JobOrder.ID);
        boolean ascending = ParamValues.choice(params, "sort", SORTS).orElse(false);
        return new JobListParams(filter.build(), username, new JobOrdering(order, ascending));
    }

    /** A text filter; absent or empty does not filter. */
    private static String text(Params params, String name) {
        return params.text(name).filter(value -> !value.isEmpty()).orElse(null);
    }

    private static Optional<Long> id(Params params, String name) {
        return params.integer(name).map(value -> value.signum() <= 0 || value.bitLength() > 63
                ? NO_SUCH_ID : value.longValueExact());
    }

    private static <T> Map<String, T> byName(T[] values, Function<T, String> name) {
        return Arrays.stream(values)
                .collect(Collectors.toUnmodifiableMap(v -> name.apply(v).toLowerCase(Locale.ROOT), v -> v));
    }
}
