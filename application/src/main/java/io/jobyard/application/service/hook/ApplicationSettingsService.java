package io.jobyard.application.service.hook;

import io.jobyard.application.port.in.hook.ApplicationSettingsUseCase;
import io.jobyard.application.port.out.ApplicationSettingsRepository;
import io.jobyard.application.port.out.ApplicationSettingsRepository.ApplicationSettings;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.UnauthorizedException;

import java.util.Objects;
import java.util.Optional;

/** {@link ApplicationSettingsUseCase}: GitLab's {@code authenticated_as_admin!}. */
public final class ApplicationSettingsService implements ApplicationSettingsUseCase {
    private final ApplicationSettingsRepository settings;

    public ApplicationSettingsService(ApplicationSettingsRepository settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    private static void requireAdmin(Actor actor, boolean write) {
        if (actor instanceof Actor.Anonymous || actor.user().isEmpty() || actor instanceof Actor.JobTokenActor) {
            throw new UnauthorizedException("401 Unauthorized");
        }
        if (!actor.isAdmin() || (write && !actor.canWrite())) {
            throw new ForbiddenException();
        }
    }

    @Override
    public ApplicationSettings get(Actor actor) {
        requireAdmin(actor, false);
        return settings.get();
    }

    @Override
    public ApplicationSettings update(Actor actor, Optional<Boolean> allowLocalRequestsFromWebHooksAndServices) {
        requireAdmin(actor, true);
        ApplicationSettings current = settings.get();
        ApplicationSettings next = new ApplicationSettings(
                allowLocalRequestsFromWebHooksAndServices.orElse(current.allowLocalRequestsFromWebHooksAndServices()));
        settings.put(next);
        return next;
    }
}
