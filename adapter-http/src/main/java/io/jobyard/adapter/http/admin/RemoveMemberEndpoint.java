package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.admin.MembersUseCase;
import io.jobyard.application.port.in.ProjectRef;

import java.util.Objects;

/** {@code DELETE /projects/:id/members/:user_id}: 204, or 404 Member Not Found for someone who is not a member. */
public final class RemoveMemberEndpoint implements Endpoint {
    private final MembersUseCase members;

    public RemoveMemberEndpoint(MembersUseCase members) {
        this.members = Objects.requireNonNull(members, "members");
    }

    @Override
    public Reply handle(ApiRequest request) {
        ProjectRef project = ProjectRef.parse(request.path("id"));
        members.removeMember(request.actor(), project,
                AdminParams.pathUserId(request.path("user_id"), "user_id"));
        return new Reply.Empty(204);
    }
}
