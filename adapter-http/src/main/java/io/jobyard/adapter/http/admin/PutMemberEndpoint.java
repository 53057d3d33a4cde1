package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.json.WebUrls;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.domain.access.Role;
import io.jobyard.domain.user.User;
import io.jobyard.domain.user.UserId;

import java.math.BigInteger;
import java.util.Objects;

/**
 * {@code POST /projects/:id/members}: {@code user_id} and {@code access_level} (10, 20, 30, 40 or 50). A user who is
 * already a member gets the new level, so repeating the call is harmless.
 */
public final class PutMemberEndpoint implements Endpoint {
    private final MembersUseCase members;
    private final WebUrls urls;

    public PutMemberEndpoint(MembersUseCase members, WebUrls urls) {
        this.members = Objects.requireNonNull(members, "members");
        this.urls = Objects.requireNonNull(urls, "urls");
    }

    @Override
    public Reply handle(ApiRequest request) {
        ProjectRef project = ProjectRef.parse(request.path("id"));
        Params params = request.params();
        BigInteger userId = AdminParams.requiredInteger(params, "user_id");
        BigInteger level = AdminParams.requiredInteger(params, "access_level");
        Role role = level.bitLength() < 32
                ? Role.fromAccessLevel(level.intValue()).orElseThrow(() -> AdminParams.notAValidValue("access_level"))
                : null;
        if (role == null) {
            throw AdminParams.notAValidValue("access_level");
        }
        UserId user = AdminParams.userId(userId);
        User member = members.putMember(request.actor(), project, user, role);
        return Reply.Json.created(MemberJson.from(member, role, urls));
    }
}
