package io.jobyard.domain.project;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a project or pipeline may name as the repository its jobs clone, and the default branch it may name. */
class RepositoryUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://gitlab.com/gitlab-org/gitlab-runner.git", "http://git.local:8080/a/b.git",
            "git://git.kernel.org/pub/scm/git/git.git", "ssh://git@github.com/acme/app.git", "file:///srv/git/app.git",
            "HTTPS://example.com/x"})
    void acceptsCloneUrlsARunnerCanReach(String url) {
        assertThat(RepositoryUrl.isValid(url)).isTrue();
        assertThat(new RepositoryUrl(url).value()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "relative/path.git", "ftp://example.com/a.git", "https://user:secret@example.com/a.git",
            "https:///no-host", "https://exa mple.com/a", "mailto:someone@example.com", "file:", "https://x.com/\n"})
    void refusesWhatIsNoCloneUrlOrCarriesAPassword(String url) {
        assertThat(RepositoryUrl.isValid(url)).isFalse();
        assertThatThrownBy(() -> new RepositoryUrl(url)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOverlongUrls() {
        assertThat(RepositoryUrl.isValid("https://example.com/" + "a".repeat(2030))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "release/2.x", "feature-1", "v1.0", "a_b"})
    void acceptsBranchNames(String branch) {
        assertThat(Project.isValidBranchName(branch)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..b", "a b", "a:b", "-lead", "trail/", "x.lock", "a/.hidden", "a@{1}", "a//b", "@",
            "end.", "a~1", "a^", "a?", "a*", "a[b", "a\\b"})
    void refusesWhatGitRefusesAsABranch(String branch) {
        assertThat(Project.isValidBranchName(branch)).isFalse();
    }
}
