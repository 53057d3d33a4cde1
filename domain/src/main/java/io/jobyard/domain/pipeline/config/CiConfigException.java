package io.jobyard.domain.pipeline.config;

import io.jobyard.domain.error.JobyardException;

import java.util.List;
import java.util.Objects;

/**
 * A {@code .gitlab-ci.yml} that GitLab's lint would refuse, with the errors in the order and the wording GitLab gives
 * them.
 *
 * <p>What GitLab answers, and what the HTTP layer should therefore answer, for
 * {@code POST /api/v4/projects/:id/pipeline} with an invalid configuration: status 400 and
 * <pre>{"message":{"base":["jobs:build config contains unknown keys: foo"]}}</pre>
 * with <em>only the first</em> error in {@code base}. Verified in gitlabhq/gitlabhq:
 * <ul>
 *   <li>{@code lib/api/ci/pipelines.rb}: {@code post ':id/pipeline'} ends in
 *       {@code render_validation_error!(new_pipeline)}, which renders {@code model.errors.messages} under
 *       {@code "message"} with status 400;</li>
 *   <li>{@code lib/gitlab/ci/pipeline/chain/config/process.rb}: an invalid result calls
 *       {@code error(result.errors.first, failure_reason: :config_error)};</li>
 *   <li>{@code lib/gitlab/ci/pipeline/chain/helpers.rb}: {@code error} adds the (HTML-sanitized) message with
 *       {@code pipeline.errors.add(:base, message)};</li>
 *   <li>{@code spec/requests/api/ci/pipelines_spec.rb} reads the answer as {@code json_response['message']['base']}.</li>
 * </ul>
 * The CI Lint API ({@code POST /projects/:id/ci/lint}) answers every error in {@code "errors"}: that is
 * {@link #errors()}. GitLab's structural errors (types, unknown keys, blank script...) are all collected; its logical
 * errors (undeclared stage, undefined or later-stage needs, needs cycles) stop at the first, and are only looked for
 * when there is no structural error — {@link CiConfigCompiler} does the same.
 */
public final class CiConfigException extends JobyardException {
    private final List<String> errors;

    public CiConfigException(List<String> errors) {
        super(String.join("; ", Objects.requireNonNull(errors, "errors")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a configuration error needs at least one message");
        }
        this.errors = List.copyOf(errors);
    }

    /** Every error, as GitLab's CI lint lists them. */
    public List<String> errors() {
        return errors;
    }

    /** The one message GitLab's pipeline creation puts in {@code {"message":{"base":[...]}}}. */
    public String firstError() {
        return errors.get(0);
    }
}
