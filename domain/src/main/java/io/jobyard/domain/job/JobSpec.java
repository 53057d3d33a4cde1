package io.jobyard.domain.job;

import io.jobyard.domain.text.TextLimit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The definition of a job, as its pipeline's configuration made it. A retry clones exactly this.
 *
 * @param stageIdx      the position of {@code stage} in the pipeline's stage list
 * @param startIn       delay of a {@code when: delayed} job, else null
 * @param dag           true when the job declares {@code needs:} (even an empty list): it then starts after its
 *                      needs rather than after the previous stage
 * @param needs         names of the jobs it needs
 * @param tags          runner tags, kept sorted as GitLab serializes {@code tag_list}
 * @param resourceGroup name of the resource group, or null
 */
public record JobSpec(
        String name,
        String stage,
        int stageIdx,
        WhenCondition when,
        Duration startIn,
        boolean allowFailure,
        boolean dag,
        List<String> needs,
        List<String> tags,
        List<JobVariable> variables,
        String resourceGroup,
        RetryPolicy retry,
        boolean debugTrace,
        JobExecution execution) {

    public JobSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(execution, "execution");
        if (name.isBlank()) {
            throw new IllegalArgumentException("job name can't be blank");
        }
        TextLimit.JOB_NAME.require(name);
        TextLimit.STAGE.require(stage);
        TextLimit.RESOURCE_GROUP.require(resourceGroup);
        tags.forEach(tag -> TextLimit.RUNNER_TAG.require(tag, "tags"));
        if (stageIdx < 0) {
            throw new IllegalArgumentException("stage index must not be negative");
        }
        if (when == WhenCondition.DELAYED && (startIn == null || startIn.isNegative())) {
            throw new IllegalArgumentException("a delayed job needs a non-negative start_in");
        }
        needs = List.copyOf(needs);
        tags = tags.stream().sorted().distinct().toList();
        variables = List.copyOf(variables);
    }

    /** A plain job in a stage: on_success, no needs, no tags. Convenient for tests and embedding. */
    public static JobSpec simple(String name, String stage, int stageIdx) {
        return new JobSpec(name, stage, stageIdx, WhenCondition.ON_SUCCESS, null, false, false, List.of(), List.of(),
                List.of(), null, RetryPolicy.NONE, false, JobExecution.NONE);
    }

    public JobSpec withWhen(WhenCondition newWhen, Duration newStartIn) {
        return new JobSpec(name, stage, stageIdx, newWhen, newStartIn, allowFailure, dag, needs, tags, variables,
                resourceGroup, retry, debugTrace, execution);
    }

    public JobSpec withAllowFailure(boolean value) {
        return new JobSpec(name, stage, stageIdx, when, startIn, value, dag, needs, tags, variables, resourceGroup,
                retry, debugTrace, execution);
    }

    public JobSpec withNeeds(List<String> newNeeds) {
        return new JobSpec(name, stage, stageIdx, when, startIn, allowFailure, true, newNeeds, tags, variables,
                resourceGroup, retry, debugTrace, execution);
    }

    public JobSpec withTags(List<String> newTags) {
        return new JobSpec(name, stage, stageIdx, when, startIn, allowFailure, dag, needs, newTags, variables,
                resourceGroup, retry, debugTrace, execution);
    }

    public JobSpec withVariables(List<JobVariable> newVariables) {
        return new JobSpec(name, stage, stageIdx, when, startIn, allowFailure, dag, needs, tags, newVariables,
                resourceGroup, retry, debugTrace, execution);
    }

    public JobSpec withResourceGroup(String group) {
        return new JobSpec(name, stage, stageIdx, when, startIn, allowFailure, dag, needs, tags, variables, group,
                retry, debugTrace, execution);
    }

    public JobSpec withRetry(RetryPolicy policy) {
        return new JobSpec(name, stage, stageIdx, when, startIn, allowFailure, dag, needs, tags, variables,
                resourceGroup, policy, debugTrace, execution);
    }

    public JobSpec withDebugTrace(boolean value) {
        return new JobSpec(name, stage, stageIdx, when, startIn, allowFailure, dag, needs, tags, variables,
                resourceGroup, retry, value, execution);
    }

    public JobSpec withExecution(JobExecution value) {
        return new JobSpec(name, stage, stageIdx, when, startIn, allowFailure, dag, needs, tags, variables,
                resourceGroup, retry, debugTrace, value);
    }

    /** GitLab's {@code action?}: a job a person starts. */
    public boolean isAction() {
        return when == WhenCondition.MANUAL || when == WhenCondition.DELAYED;
    }
}
