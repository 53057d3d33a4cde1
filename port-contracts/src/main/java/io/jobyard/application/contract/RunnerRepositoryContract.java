package io.jobyard.application.contract;

import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerId;
import io.jobyard.domain.runner.RunnerType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every {@link RunnerRepository} has. Extend it and supply the store. */
public abstract class RunnerRepositoryContract extends RepositoryContract {

    private RunnerRepository runners;

    @BeforeEach
    public void useRunners() {
        runners = repos.runners();
    }

    @Test
    public void nextIdGivesIncreasingIds() {
        RunnerId first = runners.nextId();
        assertThat(runners.nextId()).isGreaterThan(first);
    }

    @Test
    public void insertedRunnerReadsBackWithEveryField() {
        Project project = data.project("runners");
        Runner runner = new Runner(runners.nextId(), "project runner", RunnerType.PROJECT_TYPE, project.id(), false,
                List.of("gpu", "arm64"), false, true, TestData.digest("glrt-1"), T0, T0.plusMillis(99));

        assertThat(runners.insert(runner)).isEqualTo(runner);
        assertThat(runners.findById(runner.id())).contains(runner);
        assertThat(runners.findById(runners.nextId())).isEmpty();
    }

    @Test
    public void instanceRunnerWithoutContactReadsBack() {
        Runner runner = data.runner("shared", false);
        assertThat(runners.findById(runner.id())).contains(runner);
        assertThat(runner.contactedAt()).isNull();
    }

    @Test
    public void updateStoresTheNewValues() {
        Runner runner = data.runner("shared", false);
        Runner contacted = runner.contacted(T0.plusSeconds(30));

        assertThat(runners.update(contacted)).isEqualTo(contacted);
        assertThat(runners.findById(runner.id())).contains(contacted);
    }

    @Test
    public void deleteSaysWhetherTheRunnerExisted() {
        Runner runner = data.runner("shared", false);
        assertThat(runners.delete(runner.id())).isTrue();
        assertThat(runners.findById(runner.id())).isEmpty();
        assertThat(runners.delete(runner.id())).isFalse();
    }

    @Test
    public void findByIdsReturnsTheFoundRunnersById() {
        Runner a = data.runner("a", false);
        Runner b = data.runner("b", true);
        assertThat(runners.findByIds(List.of(a.id(), b.id(), runners.nextId())))
                .containsOnlyKeys(a.id(), b.id())
                .containsEntry(a.id(), a)
                .containsEntry(b.id(), b);
        assertThat(runners.findByIds(List.of())).isEmpty();
    }

    @Test
    public void aRunnerWithoutTagsIsFoundWithNone() {
        Runner bare = runners.insert(new Runner(runners.nextId(), "bare", io.jobyard.domain.runner.RunnerType.INSTANCE_TYPE,
                null, true, List.of(), true, false, TestData.digest("bare-" + TestData.unique()), TestData.T0, null));
        Runner tagged = data.runner("tagged", false);

        assertThat(runners.findByIds(List.of(bare.id(), tagged.id())))
                .containsEntry(bare.id(), bare)
                .containsEntry(tagged.id(), tagged);
        assertThat(runners.findByIds(List.of(bare.id())).get(bare.id()).tags()).isEmpty();
        assertThat(runners.findByTokenDigest(bare.tokenDigest())).contains(bare);
    }

    @Test
    public void findByTokenDigestFindsTheRunner() {
        Runner runner = data.runner("shared", false);
        data.runner("other", false);
        assertThat(runners.findByTokenDigest(runner.tokenDigest())).contains(runner);
        assertThat(runners.findByTokenDigest(TestData.digest("unknown"))).isEmpty();
    }

    @Test
    public void twoRunnersWithOneTokenDigestAreAConflict() {
        Runner runner = data.runner("shared", false);
        Runner clash = new Runner(runners.nextId(), "clash", RunnerType.INSTANCE_TYPE, null, true, List.of(), true,
                false, runner.tokenDigest(), T0, null);
        assertThatThrownBy(() -> runners.insert(clash)).isInstanceOf(ConflictException.class);
    }
}
