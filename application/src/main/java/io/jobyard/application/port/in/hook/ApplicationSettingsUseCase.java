package io.jobyard.application.port.in.hook;

import io.jobyard.application.port.out.ApplicationSettingsRepository.ApplicationSettings;
import io.jobyard.domain.access.Actor;

import java.util.Optional;

/**
 * GitLab's {@code GET}/{@code PUT /application/settings} for the settings Jobyard has: administrators only (anonymous
 * callers 401, everyone else 403).
 */
public interface ApplicationSettingsUseCase {

    ApplicationSettings get(Actor actor);

    /** Changes what is given. */
    ApplicationSettings update(Actor actor, Optional<Boolean> allowLocalRequestsFromWebHooksAndServices);
}
