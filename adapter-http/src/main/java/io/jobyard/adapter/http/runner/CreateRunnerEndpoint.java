package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.runner.RunnersUseCase;
import io.jobyard.application.port.in.runner.RunnersUseCase.CreatedRunner;
import io.jobyard.application.port.in.runner.RunnersUseCase.NewRunner;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.project.ProjectId;
import io.jobyard.domain.runner.RunnerType;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code POST /user/runners}: a user with a personal access token creates a runner ({@code runner_type},
 * {@code project_id}, {@code description}, {@code paused}, {@code run_untagged}, {@code tag_list}) and gets its
 * {@code glrt-} token, this once: 201 {@code {"id", "token", "token_expires_at"}}.
 */
public final class CreateRunnerEndpoint implements Endpoint {
    private final RunnersUseCase runners;

    public CreateRunnerEndpoint(RunnersUseCase runners) {
        this.runners = Objects.requireNonNull(runners, "runners");
    }

    @Override
    public Reply handle(ApiRequest request) {
        Params params = request.params();
        RunnerType type = runnerType(params);
        ProjectId project = params.integer("project_id").map(CreateRunnerEndpoint::projectId).orElse(null);
        NewRunner runner = new NewRunner(type, project, params.text("description").orElse(null),
                params.bool("paused").orElse(false), params.bool("run_untagged").orElse(true), tags(params));
        CreatedRunner created = runners.create(request.actor(), runner);
        return Reply.Json.created(RunnerTokenJson.from(created.runner(), created.token()));
    }

    private static RunnerType runnerType(Params params) {
        String value = params.text("runner_type").filter(t -> !t.isEmpty())
                .orElseThrow(() -> Params.missing("runner_type"));
        try {
            return RunnerType.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new InvalidParameterException("runner_type does not have a valid value");
        }
    }

    private static ProjectId projectId(BigInteger value) {
        if (value.signum() <= 0 || value.bitLength() > 63) {
            throw Params.invalid("project_id");
        }
        return ProjectId.of(value.longValue());
    }

    /** {@code tag_list}: an array, or GitLab's comma-separated text. */
    private static List<String> tags(Params params) {
        ParamValue value = params.get("tag_list").orElse(null);
        List<String> tags = new ArrayList<>();
        if (value instanceof ParamValue.Text text) {
            tags.addAll(List.of(text.value().split(",")));
        } else if (value instanceof ParamValue.Repeated repeated) {
            repeated.values().forEach(v -> tags.addAll(List.of(v.split(","))));
        } else if (value instanceof ParamValue.Items items) {
            for (ParamValue item : items.items()) {
                if (!(item instanceof ParamValue.Text text)) {
                    throw Params.invalid("tag_list");
                }
                tags.add(text.value());
            }
        } else if (value instanceof ParamValue.Fields) {
            throw Params.invalid("tag_list");
        }
        return tags.stream().map(String::trim).filter(t -> !t.isEmpty()).distinct().toList();
    }
}
