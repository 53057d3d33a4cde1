package io.jobyard.domain.project;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Project and namespace paths: what {@code :id} may name (contract §0.3). */
class ProjectTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private static Project project(String namespace, String path) {
        return new Project(ProjectId.of(1), "Name", path, namespace, Visibility.PRIVATE, false, false, T0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"project", "my-project", "my_project", "my.project", "_private", "9lives", "a",
            "Project.Name-1_x"})
    void acceptsGitLabPaths(String path) {
        assertThat(Project.isValidPathSegment(path)).isTrue();
        assertThat(project("group", path).path()).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-leading-dash", ".leading-dot", "repo.git", "feed.atom", "with space", "a/b",
            "ünicode", "a%2Fb", "semi;colon"})
    void refusesOtherPaths(String path) {
        assertThat(Project.isValidPathSegment(path)).isFalse();
        assertThatThrownBy(() -> project("group", path)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pathsAreAtMost255Characters() {
        assertThat(Project.isValidPathSegment("a".repeat(255))).isTrue();
        assertThat(Project.isValidPathSegment("a".repeat(256))).isFalse();
        assertThat(Project.isValidPathSegment(null)).isFalse();
    }

    @Test
    void theNamespaceMayBeNestedAndEverySegmentIsChecked() {
        assertThat(project("group/sub", "project").fullPath()).isEqualTo("group/sub/project");
        assertThatThrownBy(() -> project("group//sub", "project")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> project("group/", "project")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> project("group/-x", "project")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesAreOneTo255Characters() {
        assertThatThrownBy(() -> new Project(ProjectId.of(1), " ", "p", "g", Visibility.PUBLIC, false, false, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void visibilityWireNamesAndLevels() {
        assertThat(Visibility.fromWireName("internal")).contains(Visibility.INTERNAL);
        assertThat(Visibility.PUBLIC.level()).isEqualTo(20);
        assertThat(Visibility.PRIVATE.level()).isZero();
        assertThat(Visibility.fromWireName("secret")).isEmpty();
    }
}
