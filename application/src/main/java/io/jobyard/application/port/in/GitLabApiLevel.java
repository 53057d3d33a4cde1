package io.jobyard.application.port.in;

/**
 * The GitLab version whose API Jobyard implements, announced wherever GitLab announces its own: {@code GET /version},
 * {@code GET /metadata} and the {@code CI_SERVER_VERSION*} variables of every job. Runners and clients switch on it
 * (which job payload fields to expect, which endpoints exist), so it names the release whose wire behaviour Jobyard
 * was checked against — the runner payload of GitLab 18.0 ({@code Entities::Ci::JobRequest::Response}, the
 * predefined-variable builders), the Jobs API of the contract — not a version of Jobyard itself.
 */
public final class GitLabApiLevel {
    /** {@code Gitlab::VERSION}: the one place the level is set; the parts below are read from it. */
    public static final String VERSION = "18.0.0";
    /** {@code Gitlab.version_info.major}, {@code .minor}, {@code .patch}. */
    public static final int MAJOR = part(0);
    public static final int MINOR = part(1);
    public static final int PATCH = part(2);
    /**
     * {@code Gitlab.revision}: GitLab's build commit. Jobyard is no GitLab build, so it names itself; clients treat
     * the revision as opaque text.
     */
    public static final String REVISION = "jobyard";

    private GitLabApiLevel() {
    }

    private static int part(int index) {
        return Integer.parseInt(VERSION.split("\\.")[index]);
    }
}
