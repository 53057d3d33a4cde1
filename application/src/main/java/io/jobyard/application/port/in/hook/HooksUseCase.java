package io.jobyard.application.port.in.hook;

import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.Pagination;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.out.HookRepository.HookLog;
import io.jobyard.application.port.out.HookRepository.StatusFilter;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.hook.HookId;
import io.jobyard.domain.hook.HookTrigger;
import io.jobyard.domain.hook.ProjectHook;

import java.util.Map;
import java.util.Optional;

/**
 * GitLab's project hooks API ({@code lib/api/project_hooks.rb}): Maintainers (and administrators) list, create, change,
 * delete and test a project's webhooks and read what each delivery sent and got back. Everyone else: anonymous
 * callers 401, those who cannot see the project "404 Project Not Found", the others 403.
 */
public interface HooksUseCase {

    ListPage<ProjectHook> list(Actor actor, ProjectRef project, Pagination.Offset page);

    /** {@link #list(Actor, ProjectRef, Pagination.Offset)} by keyset (Jobyard's), by id after the cursor's. */
    KeysetPage<ProjectHook> list(Actor actor, ProjectRef project, Pagination.Keyset page);

    /** @throws io.jobyard.domain.error.NotFoundException "404 Not found" for a hook not of this project */
    ProjectHook get(Actor actor, ProjectRef project, HookId hook);

    /**
     * @throws io.jobyard.domain.error.UnprocessableException "Invalid url given": not an http(s) URL, or one that
     *                                                       reaches a local address the instance does not allow
     */
    ProjectHook create(Actor actor, ProjectRef project, HookChanges changes);

    /** Changes what is given; any edit enables a disabled hook again, as in GitLab. */
    ProjectHook update(Actor actor, ProjectRef project, HookId hook, HookChanges changes);

    void delete(Actor actor, ProjectRef project, HookId hook);

    /**
     * {@code POST /projects/:id/hooks/:hook_id/test/:trigger}: sends the hook a payload of the project's latest job or
     * pipeline now, even when it is disabled, and records the attempt like any delivery.
     *
     * @return the receiver's answer
     * @throws io.jobyard.domain.error.UnprocessableException when there is nothing to send, or no 2xx came back
     */
    TestResult test(Actor actor, ProjectRef project, HookId hook, HookTrigger trigger);

    /** {@code GET /projects/:id/hooks/:hook_id/events}: the hook's delivery attempts, newest first. */
    ListPage<HookLog> events(Actor actor, ProjectRef project, HookId hook, StatusFilter filter,
                             Pagination.Offset page);

    /** {@link #events} by keyset (Jobyard's), newest first: the attempts older than the cursor's. */
    KeysetPage<HookLog> events(Actor actor, ProjectRef project, HookId hook, StatusFilter filter,
                               Pagination.Keyset page);

    /**
     * What a create or an edit sets; empty fields keep their value (on create: GitLab's defaults).
     *
     * @param triggers the subscriptions named, on or off
     */
    record HookChanges(Optional<String> url, Optional<String> token, Optional<String> name,
                       Optional<String> description, Map<HookTrigger, Boolean> triggers,
                       Optional<Boolean> enableSslVerification, Optional<String> pushEventsBranchFilter,
                       Optional<String> branchFilterStrategy) {
        public HookChanges {
            triggers = Map.copyOf(triggers);
        }
    }

    /** @param status the receiver's HTTP status, or null when none came */
    record TestResult(Integer status, String message) {
    }
}
