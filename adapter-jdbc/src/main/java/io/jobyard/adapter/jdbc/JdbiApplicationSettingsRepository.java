package io.jobyard.adapter.jdbc;

import io.jobyard.application.port.out.ApplicationSettingsRepository;

import java.util.Objects;

/** The one row of {@code application_settings}, which the migration creates with GitLab's defaults. */
public final class JdbiApplicationSettingsRepository implements ApplicationSettingsRepository {
    private final Database database;

    JdbiApplicationSettingsRepository(Database database) {
        this.database = database;
    }

    @Override
    public ApplicationSettings get() {
        return database.withHandle(handle -> handle.createQuery("SELECT allow_local_requests_from_web_hooks_and_services "
                        + "FROM application_settings WHERE id = 1")
                .map((rs, ctx) -> new ApplicationSettings(rs.getBoolean(1))).findOne()
                .orElse(ApplicationSettings.DEFAULTS));
    }

    @Override
    public void put(ApplicationSettings settings) {
        Objects.requireNonNull(settings, "settings");
        database.withHandle(handle -> {
            int rows = handle.createUpdate("UPDATE application_settings SET "
                            + "allow_local_requests_from_web_hooks_and_services = :allow WHERE id = 1")
                    .bind("allow", settings.allowLocalRequestsFromWebHooksAndServices()).execute();
            if (rows == 0) {
                handle.createUpdate("INSERT INTO application_settings (id, "
                                + "allow_local_requests_from_web_hooks_and_services) VALUES (1, :allow)")
                        .bind("allow", settings.allowLocalRequestsFromWebHooksAndServices()).execute();
            }
            return null;
        });
    }
}
