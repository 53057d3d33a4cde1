package io.jobyard.domain.runner;

import io.jobyard.domain.project.ProjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which jobs a runner may pick: active, its project (for project runners), and the job's tags among its own. */
class RunnerTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final ProjectId MINE = ProjectId.of(1);
    private static final ProjectId OTHER = ProjectId.of(2);

    private static Runner runner(RunnerType type, boolean active, String tags, boolean runUntagged) {
        return new Runner(RunnerId.of(1), "r", type, type == RunnerType.PROJECT_TYPE ? MINE : null, active,
                tags(tags), runUntagged, false, "digest", T0, null);
    }

    private static List<String> tags(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }

    @ParameterizedTest(name = "{0} active={1} tags=[{2}] untagged={3}, job [{4}] of {5} → {6}")
    @CsvSource(delimiter = '|', textBlock = """
            # runner type   | active | runner tags   | run untagged | job tags     | project | picks
            INSTANCE_TYPE   | true   | ''            | true         | ''           | other   | true
            INSTANCE_TYPE   | true   | ''            | false        | ''           | other   | false
            INSTANCE_TYPE   | false  | ''            | true         | ''           | other   | false
            INSTANCE_TYPE   | true   | docker linux  | false        | docker       | other   | true
            INSTANCE_TYPE   | true   | docker linux  | false        | linux docker | other   | true
            INSTANCE_TYPE   | true   | docker        | true         | docker linux | other   | false
            INSTANCE_TYPE   | true   | ''            | true         | docker       | other   | false
            INSTANCE_TYPE   | true   | docker        | true         | ''           | other   | true
            INSTANCE_TYPE   | true   | Docker        | true         | docker       | other   | false
            GROUP_TYPE      | true   | docker        | true         | docker       | other   | true
            PROJECT_TYPE    | true   | docker        | true         | docker       | mine    | true
            PROJECT_TYPE    | true   | docker        | true         | docker       | other   | false
            PROJECT_TYPE    | true   | ''            | true         | ''           | other   | false
            PROJECT_TYPE    | false  | docker        | true         | docker       | mine    | false
            """)
    void canPick(RunnerType type, boolean active, String runnerTags, boolean runUntagged, String jobTags,
                 String project, boolean picks) {
        Runner runner = runner(type, active, runnerTags, runUntagged);
        Set<String> job = tags(jobTags).stream().collect(Collectors.toSet());
        assertThat(runner.canPick(job, project.equals("mine") ? MINE : OTHER)).isEqualTo(picks);
    }

    @Test
    void aProjectRunnerNeedsAProject() {
        assertThatThrownBy(() -> new Runner(RunnerId.of(1), "r", RunnerType.PROJECT_TYPE, null, true, List.of(), true,
                false, "d", T0, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tagsAreSortedAndDistinct() {
        assertThat(runner(RunnerType.INSTANCE_TYPE, true, "z a z m", true).tags()).containsExactly("a", "m", "z");
    }

    @Test
    void aRunnerIsOnlineWhenContactedWithinTwoHours() {
        Runner never = runner(RunnerType.INSTANCE_TYPE, true, "", true);
        assertThat(never.online(T0)).isFalse();
        Runner contacted = never.contacted(T0);
        assertThat(contacted.contactedAt()).isEqualTo(T0);
        assertThat(contacted.online(T0.plusSeconds(7199))).isTrue();
        assertThat(contacted.online(T0.plusSeconds(7200))).isFalse();
    }

    @Test
    void wireNames() {
        assertThat(RunnerType.PROJECT_TYPE.wireName()).isEqualTo("project_type");
        assertThatThrownBy(() -> RunnerId.of(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
