package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.admin.MembersUseCase.Member;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.user.UserId;

import java.math.BigInteger;
import java.util.Objects;

/** {@code GET /projects/:id/members/:user_id}: the member, or GitLab's record miss, "404 Not found". */
public final class GetMemberEndpoint implements Endpoint {
    private static final BigInteger LARGEST_ID = BigInteger.valueOf(Long.MAX_VALUE);

    private final MembersUseCase members;
    private final WebUrls urls;

    public GetMemberEndpoint(MembersUseCase members, WebUrls urls) {
        this.members = Objects.requireNonNull(members, "members");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        ProjectRef project = ProjectRef.parse(request.path("id"));
        BigInteger requested = Params.parseInteger(request.path("user_id"))
                .orElseThrow(() -> Params.invalid("user_id"));
        // An id no user can have is looked up as one nobody has, so the project checks still come first.
        UserId user = requested.signum() > 0 && requested.compareTo(LARGEST_ID) <= 0
                ? UserId.of(requested.longValueExact()) : UserId.of(Long.MAX_VALUE);
        Member member = members.getMember(request.actor(), project, user);
        return Reply.Json.ok(MemberJson.from(member.user(), member.role(), urls));
    }
}
