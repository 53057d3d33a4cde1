package io.jobyard.application.contract;

import io.jobyard.application.port.out.CiConfigRepository;
import io.jobyard.application.port.out.CiConfigRepository.StoredCiConfig;
import io.jobyard.domain.project.ProjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.jobyard.application.contract.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour every {@link CiConfigRepository} has. Extend it and supply the store. */
public abstract class CiConfigRepositoryContract {

    private CiConfigRepository configs;
    private ProjectId project;

    /** The store under test; projects are new per test, so it need not be empty. */
    protected abstract CiConfigRepository ciConfigs();

    @BeforeEach
    public void openStore() {
        configs = ciConfigs();
        project = ProjectId.of(1_000_000L + TestData.unique());
    }

    @Test
    public void aProjectWithoutAConfigurationHasNone() {
        assertThat(configs.find(project)).isEmpty();
    }

    @Test
    public void aStoredConfigurationReadsBack() {
        StoredCiConfig stored = new StoredCiConfig(project, "build:\n  script: [make]\n", T0);
        configs.put(stored);
        assertThat(configs.find(project)).contains(stored);
    }

    @Test
    public void storingAgainReplacesAndLeavesOtherProjectsAlone() {
        ProjectId other = ProjectId.of(project.value() + 500_000L);
        configs.put(new StoredCiConfig(other, "other: {script: [x]}", T0));
        configs.put(new StoredCiConfig(project, "first: {script: [a]}", T0));
        StoredCiConfig second = new StoredCiConfig(project, "second: {script: [b]}", T0.plusSeconds(60));
        configs.put(second);

        assertThat(configs.find(project)).contains(second);
        assertThat(configs.find(other).map(StoredCiConfig::content)).contains("other: {script: [x]}");
    }

    /** GitLab accepts configurations up to 2 MiB; text is kept exactly, whatever its characters. */
    @Test
    public void aLargeConfigurationWithAnyCharactersReadsBackExactly() {
        String line = "# ümlaut, 漢字, emoji \uD83D\uDE80, quote ' and backslash \\ and tab \t\n";
        String content = line.repeat(2 * 1024 * 1024 / line.length()) + "build: {script: [make]}\n";
        configs.put(new StoredCiConfig(project, content, T0));
        assertThat(configs.find(project).map(StoredCiConfig::content)).contains(content);
    }
}
