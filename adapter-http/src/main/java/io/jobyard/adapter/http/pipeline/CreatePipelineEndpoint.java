package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.adapter.http.yaml.CiYamlParser;
import io.jobyard.application.port.in.CreatePipelineUseCase;
import io.jobyard.application.port.in.CreatePipelineUseCase.CreatePipelineCommand;
import io.jobyard.application.port.in.JobPage;
import io.jobyard.application.port.in.JobView;
import io.jobyard.application.port.in.ListJobsUseCase;
import io.jobyard.application.port.in.ListJobsUseCase.PipelineJobsQuery;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Commit;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.pipeline.config.CiConfigCompiler;
import io.jobyard.domain.pipeline.config.CiConfigException;
import io.jobyard.domain.pipeline.config.PipelineDefinition;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /projects/:id/pipeline}: {@code ref} and {@code variables[]} as GitLab takes them, plus what a server
 * without repositories must be told: {@code ci_config} (the {@code .gitlab-ci.yml} text), {@code sha}, optionally
 * {@code tag}, {@code title}, {@code message}, {@code author_name}, {@code author_email}. A configuration GitLab's lint
 * refuses is {@code 400 {"message":{"base":[<first error>]}}}. Answers 201 with GitLab's pipeline entity.
 */
final class CreatePipelineEndpoint implements Endpoint {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private final CreatePipelineUseCase createPipeline;
    private final ListJobsUseCase listJobs;
    private final CiYamlParser parser;
    private final WebUrls urls;

    CreatePipelineEndpoint(CreatePipelineUseCase createPipeline, ListJobsUseCase listJobs, CiYamlParser parser,
                           WebUrls urls) {
        this.createPipeline = Objects.requireNonNull(createPipeline, "createPipeline");
        this.listJobs = Objects.requireNonNull(listJobs, "listJobs");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.urls = Objects.requireNonNull(urls, "urls");
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
        String config = params.text("ci_config").orElseThrow(() -> Params.missing("ci_config"));
        List<JobVariable> variables = variables(params);
        PipelineDefinition definition;
        try {
            definition = CiConfigCompiler.compile(parser.parse(config));
        } catch (CiConfigException invalid) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("message", Map.of("base", List.of(invalid.firstError())));
            throw ApiError.body(400, body);
        }
        OffsetDateTime now = request.now().atOffset(ZoneOffset.UTC);
        Commit commit = new Commit(sha, params.text("title").orElse(""), params.text("message").orElse(""),
                params.text("author_name").orElse(null), params.text("author_email").orElse(null), now,
                params.text("author_name").orElse(null), params.text("author_email").orElse(null), now, List.of());
        List<JobVariable> all = new ArrayList<>(definition.variables());
        // Variables given with the request override the configuration's (GitLab's precedence).
        all.addAll(variables);
        Pipeline pipeline = createPipeline.create(request.actor(), new CreatePipelineCommand(project, ref,
                params.bool("tag").orElse(false), commit, PipelineSource.API, definition.stages(),
                definition.jobs(), all));
        JobPage first = listJobs.listPipelineJobs(request.actor(), new PipelineJobsQuery(project, pipeline.id(),
                Set.of(), false, new Pagination.Offset(1, 1)));
        // Creation refuses a configuration without jobs, so the new pipeline has a first job to read back.
        JobView view = first.jobs().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("pipeline " + pipeline.id() + " has no jobs"));
        return Reply.Json.created(PipelineJson.from(pipeline, view.project(), view.user(), urls));
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
            String type = text(fields, "variable_type");
            if (type != null && !type.equals("env_var") && !type.equals("file")) {
                throw new InvalidParameterException(
                        "variables[" + i + "][variable_type] does not have a valid value");
            }
            String variableValue = text(fields, "value");
            variables.add(new JobVariable(key, variableValue == null ? "" : variableValue, false,
                    "file".equals(type)));
        }
        return variables;
    }

    private static String text(ParamValue.Fields fields, String name) {
        return fields.fields().get(name) instanceof ParamValue.Text text ? text.value() : null;
    }
}
