package io.jobyard.application.port.out;

/**
 * The instance-wide settings an administrator changes through GitLab's {@code PUT /application/settings}, kept in the
 * database so every instance reads the same.
 */
public interface ApplicationSettingsRepository {

    /** The settings as stored; the defaults when nothing was ever stored. */
    ApplicationSettings get();

    void put(ApplicationSettings settings);

    /**
     * @param allowLocalRequestsFromWebHooksAndServices webhooks may reach loopback, link-local and private addresses
     *                                                  (GitLab's setting of that name; off by default)
     */
    record ApplicationSettings(boolean allowLocalRequestsFromWebHooksAndServices) {
        public static final ApplicationSettings DEFAULTS = new ApplicationSettings(false);
    }
}
