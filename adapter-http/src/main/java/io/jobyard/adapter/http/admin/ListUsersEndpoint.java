package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.KeysetCursor;
import io.jobyard.adapter.http.endpoint.KeysetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPaging;
import io.jobyard.adapter.http.json.UserBasicJson;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.UsersUseCase;
import io.jobyard.application.port.in.admin.UsersUseCase.UserFilter;
import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.domain.user.User;

import java.util.List;
import java.util.Objects;

/**
 * {@code GET /users}: {@code username}, {@code search}, {@code active} and offset paging with totals. Administrators
 * get GitLab's {@code UserWithAdmin} entity, everyone else {@code UserBasic}. GitLab lets only administrators order the
 * list; Jobyard keeps its one order, newest first, which is GitLab's default. Keyset pages
 * ({@code pagination=keyset}) walk the same order.
 */
public final class ListUsersEndpoint implements Endpoint {
    private final UsersUseCase users;
    private final WebUrls urls;

    public ListUsersEndpoint(UsersUseCase users, WebUrls urls) {
        this.users = Objects.requireNonNull(users, "users");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        Params params = request.params();
        UserFilter filter = new UserFilter(AdminParams.optionalText(params, "username"),
                AdminParams.optionalText(params, "search"), AdminParams.flag(params, "active"));
        boolean admin = request.actor().isAdmin();
        if (KeysetPageReply.requested(request)) {
            KeysetPage<User> page = users.listUsers(request.actor(), filter, KeysetPageReply.byId(request));
            String next = page.hasNext() ? KeysetCursor.encodeId(page.items().get(page.items().size() - 1).id()
                    .value()) : null;
            return KeysetPageReply.of(body(page.items(), admin), next, request);
        }
        OffsetPaging paging = OffsetPaging.read(params);
        ListPage<User> page = users.listUsers(request.actor(), filter, paging.pagination());
        return OffsetPageReply.of(body(page.items(), admin), page.hasNext(), page.total(), paging, request);
    }

    private List<?> body(List<User> found, boolean admin) {
        return found.stream()
                .map(user -> admin ? AdminUserJson.from(user, urls) : UserBasicJson.from(user, urls))
                .toList();
    }
}
