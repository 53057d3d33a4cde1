package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.KeysetCursor;
import io.jobyard.adapter.http.endpoint.KeysetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPaging;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.admin.MembersUseCase.Member;
import io.jobyard.application.port.in.admin.MembersUseCase.MemberFilter;
import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.user.UserId;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code GET /projects/:id/members}: {@code query} (part of a username or name), {@code user_ids} (a list, or
 * comma-separated as GitLab's {@code CommaSeparatedToIntegerArray} reads it) and offset paging with totals, or keyset
 * pages by user id ({@code pagination=keyset}; Jobyard's, GitLab pages members by offset only).
 */
public final class ListMembersEndpoint implements Endpoint {
    private static final BigInteger LARGEST_ID = BigInteger.valueOf(Long.MAX_VALUE);

    private final MembersUseCase members;
    private final WebUrls urls;

    public ListMembersEndpoint(MembersUseCase members, WebUrls urls) {
        this.members = Objects.requireNonNull(members, "members");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        ProjectRef project = ProjectRef.parse(request.path("id"));
        Params params = request.params();
        MemberFilter filter = new MemberFilter(AdminParams.optionalText(params, "query"), userIds(params));
        if (KeysetPageReply.requested(request)) {
            KeysetPage<Member> page = members.listMembers(request.actor(), project, filter,
                    KeysetPageReply.byId(request));
            String next = page.hasNext() ? KeysetCursor.encodeId(page.items().get(page.items().size() - 1).user()
                    .id().value()) : null;
            return KeysetPageReply.of(body(page.items()), next, request);
        }
        OffsetPaging paging = OffsetPaging.read(params);
        ListPage<Member> page = members.listMembers(request.actor(), project, filter, paging.pagination());
        return OffsetPageReply.of(body(page.items()), page.hasNext(), page.total(), paging, request);
    }

    private List<MemberJson> body(List<Member> found) {
        return found.stream().map(member -> MemberJson.from(member.user(), member.role(), urls)).toList();
    }

    /** Ids no user can have (0, negative, too large) are kept out: they match nobody, as in GitLab. */
    private static Set<UserId> userIds(Params params) {
        ParamValue value = params.get("user_ids").orElse(null);
        List<String> texts = new ArrayList<>();
        if (value == null || value instanceof ParamValue.Blank) {
            return Set.of();
        } else if (value instanceof ParamValue.Text text) {
            texts.addAll(List.of(text.value().split(",", -1)));
        } else if (value instanceof ParamValue.Repeated repeated) {
            repeated.values().forEach(v -> texts.addAll(List.of(v.split(",", -1))));
        } else if (value instanceof ParamValue.Items items) {
            for (ParamValue item : items.items()) {
                if (!(item instanceof ParamValue.Text text)) {
                    throw Params.invalid("user_ids");
                }
                texts.add(text.value());
            }
        } else {
            throw Params.invalid("user_ids");
        }
        Set<UserId> ids = new LinkedHashSet<>();
        boolean any = false;
        for (String text : texts) {
            if (text.isBlank()) {
                continue;
            }
            BigInteger id = Params.parseInteger(text).orElseThrow(() -> Params.invalid("user_ids"));
            any = true;
            if (id.signum() > 0 && id.compareTo(LARGEST_ID) <= 0) {
                ids.add(UserId.of(id.longValueExact()));
            }
        }
        if (any && ids.isEmpty()) {
            // Only impossible ids were asked for: nobody matches, which an empty filter would not say.
            ids.add(UserId.of(Long.MAX_VALUE));
        }
        return ids;
    }
}
