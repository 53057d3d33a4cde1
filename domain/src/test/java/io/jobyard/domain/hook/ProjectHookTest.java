package io.jobyard.domain.hook;

import io.jobyard.domain.project.ProjectId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** GitLab's WebHooks::AutoDisabling, failure by failure. */
class ProjectHookTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private static ProjectHook hook() {
        return new ProjectHook(HookId.of(1), ProjectId.of(1), "https://example.com", null, null, null,
                Set.of(HookTrigger.JOB_EVENTS), true, null, "wildcard", 0, null, T0);
    }

    @Test
    void threeFailuresAreToleratedThenTheBackoffDoublesFromAMinuteToADay() {
        ProjectHook hook = hook();
        Instant now = T0;
        for (int i = 1; i <= 3; i++) {
            hook = hook.afterFailure(now);
            assertThat(hook.recentFailures()).isEqualTo(i);
            assertThat(hook.alertStatus(now)).isEqualTo(ProjectHook.AlertStatus.EXECUTABLE);
        }
        hook = hook.afterFailure(now);
        assertThat(hook.alertStatus(now)).isEqualTo(ProjectHook.AlertStatus.TEMPORARILY_DISABLED);
        assertThat(hook.disabledUntil()).isEqualTo(now.plus(Duration.ofMinutes(1)));
        assertThat(hook.afterFailure(now)).as("no failures count while disabled").isEqualTo(hook);

        now = hook.disabledUntil().plusSeconds(1);
        assertThat(hook.executable(now)).isTrue();
        hook = hook.afterFailure(now);
        assertThat(hook.disabledUntil()).isEqualTo(now.plus(Duration.ofMinutes(2)));
        for (int i = 0; i < 50 && !hook.permanentlyDisabled(); i++) {
            now = hook.disabledUntil().plusSeconds(1);
            hook = hook.afterFailure(now);
            assertThat(Duration.between(now, hook.disabledUntil())).isLessThanOrEqualTo(Duration.ofDays(1));
        }
        assertThat(hook.recentFailures()).isEqualTo(40);
        assertThat(hook.alertStatus(now.plus(Duration.ofDays(400)))).isEqualTo(ProjectHook.AlertStatus.DISABLED);
        assertThat(hook.enabled().alertStatus(now)).isEqualTo(ProjectHook.AlertStatus.EXECUTABLE);
        assertThat(hook.enabled().recentFailures()).isZero();
    }

    @Test
    void theTokenStaysOutOfTheTextForm() {
        ProjectHook hook = new ProjectHook(HookId.of(1), ProjectId.of(1), "https://example.com", "s3cret", null, null,
                Set.of(), true, null, "wildcard", 0, null, T0);
        assertThat(hook.toString()).doesNotContain("s3cret");
    }
}
