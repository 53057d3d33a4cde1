package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.OffsetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPaging;
import io.jobyard.adapter.http.endpoint.RequestValues;
import io.jobyard.adapter.http.json.PipelineBasicJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.ListPipelinesQuery;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.PipelinePage;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.Scope;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.application.port.out.PipelineRepository.Order;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.PipelineSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /projects/:id/pipelines}: GitLab's filters ({@code scope}, {@code status}, {@code ref}, {@code sha},
 * {@code yaml_errors}, {@code username}, {@code updated_after/before}, {@code created_after/before}, {@code source},
 * {@code name}), {@code order_by} and {@code sort} (default id desc), offset pagination with totals. Parameters are
 * validated in GitLab's declaration order before the project is looked at. {@code source} takes the sources Jobyard
 * creates pipelines with.
 */
public final class ListPipelinesEndpoint implements Endpoint {
    private static final Map<String, Scope> SCOPES = byWireName(Scope.values(), s -> s.name());
    private static final Map<String, JobStatus> STATUSES = byWireName(JobStatus.values(), JobStatus::wireName);
    private static final Map<String, Order> ORDERS = byWireName(Order.values(), Order::name);
    private static final Map<String, PipelineSource> SOURCES =
            byWireName(PipelineSource.values(), PipelineSource::wireName);
    private static final Map<String, Boolean> SORTS = Map.of("asc", true, "desc", false);

    private final PipelinesUseCase pipelines;
    private final WebUrls urls;

    public ListPipelinesEndpoint(PipelinesUseCase pipelines, WebUrls urls) {
        this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        Params params = request.params();
        OffsetPaging paging = OffsetPaging.read(params);
        Scope scope = ListParams.choice(params, "scope", SCOPES).orElse(null);
        JobStatus status = ListParams.choice(params, "status", STATUSES).orElse(null);
        String ref = params.text("ref").orElse(null);
        String sha = params.text("sha").orElse(null);
        Boolean yamlErrors = params.bool("yaml_errors").orElse(null);
        String username = params.text("username").orElse(null);
        Instant updatedBefore = ListParams.dateTime(params, "updated_before").orElse(null);
        Instant updatedAfter = ListParams.dateTime(params, "updated_after").orElse(null);
        Instant createdBefore = ListParams.dateTime(params, "created_before").orElse(null);
        Instant createdAfter = ListParams.dateTime(params, "created_after").orElse(null);
        Order order = ListParams.choice(params, "order_by", ORDERS).orElse(Order.ID);
        boolean ascending = ListParams.choice(params, "sort", SORTS).orElse(false);
        PipelineSource source = ListParams.choice(params, "source", SOURCES).orElse(null);
        String name = params.text("name").orElse(null);

        PipelinePage page = pipelines.list(request.actor(), new ListPipelinesQuery(RequestValues.project(request),
                scope, status, ref, sha, source, username, yamlErrors, name, updatedAfter, updatedBefore,
                createdAfter, createdBefore, order, ascending, paging.pagination()));
        List<PipelineBasicWithMetadataJson> body = page.pipelines().stream()
                .map(p -> PipelineBasicWithMetadataJson.of(PipelineBasicJson.from(p, page.project(), urls)))
                .toList();
        return OffsetPageReply.reply(body, body.isEmpty(), page.hasNext(), page.total(), paging, request);
    }

    private static <T> Map<String, T> byWireName(T[] values, Function<T, String> name) {
        return Arrays.stream(values)
                .collect(Collectors.toUnmodifiableMap(v -> name.apply(v).toLowerCase(Locale.ROOT), v -> v));
    }
}
