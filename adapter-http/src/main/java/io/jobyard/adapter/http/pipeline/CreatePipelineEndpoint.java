package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.pipeline.CreatePipelineFromConfigUseCase.CreateFromConfigCommand;
import io.jobyard.application.port.in.pipeline.CreatePipelineFromConfigUseCase;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.PipelineView;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.project.RepositoryUrl;
import io.jobyard.domain.text.TextLimit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /projects/:id/pipeline}: {@code ref} and {@code variables[]} as GitLab takes them, plus what a server
 * without repositories must be told: {@code sha}, optionally {@code tag}, and the {@code .gitlab-ci.yml} text as
 * {@code ci_config} — without it the project's stored configuration ({@code PUT /projects/:id/ci_config}) runs, and a
 * project without one is GitLab's {@code 400 {"message":{"base":["Missing CI config file"]}}}. A configuration
 * GitLab's lint refuses is {@code 400 {"message":{"base":[<first error>]}}}. Answers 201 with GitLab's pipeline entity.
 *
 * <p>The commit facts GitLab reads from the repository, each optional: {@code message} (else {@code title}, followed by
 * a blank line and {@code description} when given; else empty), {@code title} (else the message's first line),
 * {@code author_name}, {@code author_email}, {@code timestamp} (ISO 8601 with an offset; else the creation time),
 * {@code before_sha} (else GitLab's blank sha), and {@code repository_url}: the repository this pipeline's jobs clone
 * instead of the project's.
 */
public final class CreatePipelineEndpoint implements Endpoint {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final int MAX_AUTHOR_LENGTH = 1024;

    private final CreatePipelineFromConfigUseCase createPipeline;
    private final PipelinesUseCase pipelines;
    private final WebUrls urls;

    public CreatePipelineEndpoint(CreatePipelineFromConfigUseCase createPipeline, PipelinesUseCase pipelines, WebUrls urls) {
        this.createPipeline = Objects.requireNonNull(createPipeline, "createPipeline");
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    /** A configuration may be larger than any other parameter: GitLab's {@code max_yaml_size_bytes}, encoded. */
    @Override
    public long maxBodyBytes(HttpSettings settings) {
        return settings.ciConfigBodyBytes();
    }

    @Override
    public Reply handle(ApiRequest request) {
        ProjectRef project = ProjectRef.parse(request.path("id"));
        Params params = request.params();
        String ref = params.text("ref").filter(r -> !r.isEmpty()).orElseThrow(() -> Params.missing("ref"));
        String sha = params.text("sha").filter(s -> !s.isEmpty()).orElseThrow(() -> Params.missing("sha"));
        if (!SHA.matcher(sha).matches()) {
            throw Params.invalid("sha");
        }
        String config = params.text("ci_config").orElse(null);
        List<JobVariable> variables = variables(params);
        String beforeSha = params.text("before_sha").filter(s -> !s.isEmpty()).orElse(null);
        if (beforeSha != null && !SHA.matcher(beforeSha).matches()) {
            throw Params.invalid("before_sha");
        }
        RepositoryUrl repository = params.text("repository_url").filter(u -> !u.isEmpty())
                .map(u -> {
                    if (!RepositoryUrl.isValid(u)) {
                        throw Params.invalid("repository_url");
                    }
                    return new RepositoryUrl(u);
                })
                .orElse(null);
        OffsetDateTime committed = params.text("timestamp").filter(t -> !t.isEmpty())
                .map(CreatePipelineEndpoint::timestamp)
                .orElse(request.now().atOffset(ZoneOffset.UTC));
        String message = message(params);
        String title = params.text("title").orElse(firstLine(message));
        String author = bounded(params, "author_name");
        String email = bounded(params, "author_email");
        Commit commit = new Commit(sha, title, message, author, email, committed, author, email, committed,
                List.of());
        Pipeline pipeline = createPipeline.create(request.actor(), new CreateFromConfigCommand(project, ref,
                params.bool("tag").orElse(false), commit, PipelineSource.API, config, variables, beforeSha,
                repository));
        PipelineView view = pipelines.get(request.actor(), ProjectRef.of(pipeline.projectId()), pipeline.id());
        return Reply.Json.created(PipelineJson.from(view, urls));
    }

    /** The commit message: {@code message}, else {@code title} and {@code description} as git joins them, else "". */
    private static String message(Params params) {
        Optional<String> message = params.text("message");
        if (message.isPresent()) {
            return message.get();
        }
        String title = params.text("title").orElse("");
        return params.text("description").filter(d -> !d.isEmpty()).map(d -> title + "\n\n" + d).orElse(title);
    }

    /** An author's name or email: at most {@value #MAX_AUTHOR_LENGTH} characters, as stored. */
    private static String bounded(Params params, String name) {
        String value = params.text(name).orElse(null);
        if (value != null && value.length() > MAX_AUTHOR_LENGTH) {
            throw Params.invalid(name);
        }
        return value;
    }

    private static String firstLine(String message) {
        return message.split("[\r\n]", 2)[0];
    }

    private static OffsetDateTime timestamp(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException invalid) {
            throw Params.invalid("timestamp");
        }
    }

    /** {@code variables[]}: hashes of {@code key}, {@code value} and {@code variable_type} (env_var or file). */
    private static List<JobVariable> variables(Params params) {
        ParamValue value = params.get("variables").orElse(null);
        if (value == null || value instanceof ParamValue.Blank) {
            return List.of();
        }
        if (!(value instanceof ParamValue.Items items)) {
            throw Params.invalid("variables");
        }
        List<JobVariable> variables = new ArrayList<>();
        for (int i = 0; i < items.items().size(); i++) {
            if (!(items.items().get(i) instanceof ParamValue.Fields fields)) {
                throw Params.invalid("variables");
            }
            String key = text(fields, "key");
            if (key == null || key.isEmpty()) {
                throw Params.missing("variables[" + i + "][key]");
            }
            TextLimit.VARIABLE_KEY.require(key, "variables[" + i + "][key]");
            String type = text(fields, "variable_type");
            if (type != null && !type.equals("env_var") && !type.equals("file")) {
                throw new InvalidParameterException(
                        "variables[" + i + "][variable_type] does not have a valid value");
            }
            String variableValue = text(fields, "value");
            try {
                variables.add(new JobVariable(key, variableValue == null ? "" : variableValue, false,
                        "file".equals(type)));
            } catch (IllegalArgumentException notAKey) {
                throw Params.invalid("variables[" + i + "][key]");
            }
        }
        return variables;
    }

    private static String text(ParamValue.Fields fields, String name) {
        return fields.fields().get(name) instanceof ParamValue.Text text ? text.value() : null;
    }
}
