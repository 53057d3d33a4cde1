package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.KeysetCursor;
import io.jobyard.adapter.http.endpoint.KeysetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPaging;
import io.jobyard.adapter.http.endpoint.RequestValues;
import io.jobyard.adapter.http.json.PipelineBasicJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.ListPipelinesQuery;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.PipelinePage;
import io.jobyard.application.port.in.pipeline.PipelinesUseCase.Scope;
import io.jobyard.application.port.out.PipelineRepository;
import io.jobyard.application.port.out.PipelineRepository.Order;
import io.jobyard.application.port.out.SortKey;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;
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
 * creates pipelines with. Beyond GitLab: keyset pages ({@code pagination=keyset}) ordered by id or {@code updated_at}.
 */
public final class ListPipelinesEndpoint implements Endpoint {
    static final String KEYSET_UNSUPPORTED = "Keyset pagination is not yet available for this type of request";
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

        ProjectRef project = RequestValues.project(request);
        if (KeysetPageReply.requested(request)) {
            Pagination.Keyset keyset = keyset(request, project, order);
            PipelinePage page = pipelines.list(request.actor(), new ListPipelinesQuery(project, scope, status, ref,
                    sha, source, username, yamlErrors, name, updatedAfter, updatedBefore, createdAfter, createdBefore,
                    order, ascending, keyset));
            String next = null;
            if (page.hasNext() && !page.pipelines().isEmpty()) {
                Pipeline last = page.pipelines().get(page.pipelines().size() - 1);
                next = order == Order.ID ? KeysetCursor.encodeId(last.id().value())
                        : KeysetCursor.encodeTime("updated_at", last.updatedAt(), last.id().value());
            }
            return KeysetPageReply.of(body(page), next, request);
        }
        PipelinePage page = pipelines.list(request.actor(), new ListPipelinesQuery(project, scope, status, ref, sha,
                source, username, yamlErrors, name, updatedAfter, updatedBefore, createdAfter, createdBefore, order,
                ascending, paging.pagination()));
        List<PipelineBasicWithMetadataJson> body = body(page);
        return OffsetPageReply.reply(body, body.isEmpty(), page.hasNext(), page.total(), paging, request);
    }

    private List<PipelineBasicWithMetadataJson> body(PipelinePage page) {
        return page.pipelines().stream()
                .map(p -> PipelineBasicWithMetadataJson.of(PipelineBasicJson.from(p, page.project(), urls)))
                .toList();
    }

    /**
     * Keyset pages (Jobyard's: GitLab pages this list by offset only) in the orders that have them, id and
     * {@code updated_at}; other orders get GitLab's "not yet available" 405 and a bad cursor its 400, both after the
     * project checks.
     */
    private Pagination.Keyset keyset(ApiRequest request, ProjectRef project, Order order) {
        int perPage = KeysetPageReply.perPage(request);
        try {
            if (!PipelineRepository.keysetOrder(order)) {
                throw ApiError.error(405, KEYSET_UNSUPPORTED);
            }
            SortKey after = KeysetPageReply.cursor(request).map(cursor -> order == Order.ID
                    ? SortKey.ofId(KeysetCursor.decodeId(cursor))
                    : KeysetCursor.decodeTime(cursor, "updated_at")).orElse(null);
            return new Pagination.Keyset(after, perPage);
        } catch (RuntimeException refused) {
            pipelines.list(request.actor(), ListPipelinesQuery.all(project, new Pagination.Offset(1, 1)));
            throw refused;
        }
    }

    private static <T> Map<String, T> byWireName(T[] values, Function<T, String> name) {
        return Arrays.stream(values)
                .collect(Collectors.toUnmodifiableMap(v -> name.apply(v).toLowerCase(Locale.ROOT), v -> v));
    }
}
