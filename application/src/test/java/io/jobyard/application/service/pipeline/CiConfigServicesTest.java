package io.jobyard.application.service.pipeline;

import io.jobyard.application.Services;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.FakeCiConfigParser;
import io.jobyard.application.memory.InMemoryCiConfigRepository;
import io.jobyard.application.port.in.pipeline.CiConfigUseCase;
import io.jobyard.application.port.in.pipeline.CreatePipelineFromConfigUseCase.CreateFromConfigCommand;
import io.jobyard.application.port.in.pipeline.CreatePipelineFromConfigUseCase;
import io.jobyard.application.port.out.CiConfigRepository.StoredCiConfig;
import io.jobyard.application.service.ServiceFixture;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.pipeline.PipelineSource;
import io.jobyard.domain.pipeline.config.CiConfigException;
import io.jobyard.domain.project.Project;
import io.jobyard.domain.project.Visibility;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.jobyard.application.service.ServiceFixture.as;
import static io.jobyard.application.service.ServiceFixture.readOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored {@code .gitlab-ci.yml} and pipeline creation from configuration text. */
class CiConfigServicesTest {
    private static final String BUILD = "build config";
    private static final String BROKEN = "broken config";
    private static final String DEPLOY = "deploy config";

    private final ServiceFixture f = new ServiceFixture();
    private final InMemoryCiConfigRepository configs = f.ports.ciConfigStore;
    private final FakeCiConfigParser parser = ((FakeCiConfigParser) f.ports.ciConfigParser)
            .knows(BUILD, config("build", Map.of("script", List.of("make")), Map.of("GREETING", "hello", "WHO", "all")))
            .knows(DEPLOY, config("deploy", Map.of("script", List.of("ship")), Map.of()))
            .knows(BROKEN, config("build", Map.of("script", List.of("make"), "foo", 1), Map.of()));
    private final CiConfigUseCase ciConfig = f.services.ciConfig();
    private final CreatePipelineFromConfigUseCase fromConfig = f.services.createPipelineFromConfig();

    private static Map<String, Object> config(String job, Map<String, Object> definition,
                                              Map<String, Object> variables) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (!variables.isEmpty()) {
            root.put("variables", variables);
        }
        Map<String, Object> body = new LinkedHashMap<>(definition);
        if (job.equals("build")) {
            body.put("variables", Map.of("WHO", "build"));
        }
        root.put(job, body);
        return root;
    }

    private CreateFromConfigCommand command(String ciConfig) {
        return new CreateFromConfigCommand(f.ref, "main", false, TestData.commit(3), PipelineSource.API, ciConfig,
                List.of(JobVariable.of("WHO", "request")));
    }

    @Test
    void maintainersStoreAConfigurationThatPipelineReadersCanRead() {
        ciConfig.store(as(f.maintainer), f.ref, BUILD);

        assertThat(ciConfig.read(as(f.reporter), f.ref)).isEqualTo(BUILD);
        assertThat(configs.find(f.project.id())).contains(new StoredCiConfig(f.project.id(), BUILD,
                ServiceFixture.NOW));
        ciConfig.store(as(f.owner), f.ref, DEPLOY);
        assertThat(ciConfig.read(as(f.maintainer), f.ref)).isEqualTo(DEPLOY);
    }

    @Test
    void aProjectWithoutAConfigurationAnswersCiConfigNotFound() {
        assertThatThrownBy(() -> ciConfig.read(as(f.reporter), f.ref))
                .isInstanceOfSatisfying(NotFoundException.class,
                        e -> assertThat(e.resource()).isEqualTo("CI config"));
    }

    @Test
    void aConfigurationTheLintRefusesIsNeverStored() {
        ciConfig.store(as(f.maintainer), f.ref, BUILD);

        assertThatThrownBy(() -> ciConfig.store(as(f.maintainer), f.ref, BROKEN))
                .isInstanceOfSatisfying(CiConfigException.class, e -> assertThat(e.firstError())
                        .isEqualTo("jobs:build config contains unknown keys: foo"));
        assertThatThrownBy(() -> ciConfig.store(as(f.maintainer), f.ref, "not: [yaml"))
                .isInstanceOfSatisfying(CiConfigException.class,
                        e -> assertThat(e.firstError()).isEqualTo(FakeCiConfigParser.NOT_YAML));
        assertThat(ciConfig.read(as(f.maintainer), f.ref)).isEqualTo(BUILD);
    }

    @Test
    void onlyMaintainersWithWritingCredentialsStoreAndRefusalsComeBeforeTheLint() {
        assertThatThrownBy(() -> ciConfig.store(as(f.developer), f.ref, BROKEN))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> ciConfig.store(readOnly(f.maintainer), f.ref, BUILD))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> ciConfig.store(Actor.ANONYMOUS, f.ref, BUILD))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> ciConfig.store(as(f.outsider), f.ref, BUILD))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ciConfig.read(as(f.guest), f.ref)).isInstanceOf(ForbiddenException.class);
        assertThat(configs.find(f.project.id())).isEmpty();
    }

    @Test
    void anonymousReadersOfAPublicProjectsPipelinesMayReadItsConfiguration() {
        Project open = f.project("open", Visibility.PUBLIC, true);
        ciConfig.store(as(f.maintainer), io.jobyard.application.port.in.ProjectRef.of(open.id()), BUILD);
        assertThat(ciConfig.read(Actor.ANONYMOUS, io.jobyard.application.port.in.ProjectRef.of(open.id())))
                .isEqualTo(BUILD);
    }

    @Test
    void withoutTextThePipelineRunsTheStoredConfiguration() {
        ciConfig.store(as(f.maintainer), f.ref, DEPLOY);

        Pipeline pipeline = fromConfig.create(as(f.developer), command(null));

        assertThat(f.repos.jobs().findByPipeline(pipeline.id())).extracting(Job::name).containsExactly("deploy");
        assertThat(pipeline.status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void givenTextWinsOverTheStoredConfiguration() {
        ciConfig.store(as(f.maintainer), f.ref, DEPLOY);

        Pipeline pipeline = fromConfig.create(as(f.developer), command(BUILD));

        assertThat(f.repos.jobs().findByPipeline(pipeline.id())).extracting(Job::name).containsExactly("build");
    }

    /** Only the request's variables are the pipeline's; the configuration's go into its jobs, under their own. */
    @Test
    void theConfigurationsVariablesGoIntoTheJobsAndOnlyTheRequestsIntoThePipeline() {
        Pipeline pipeline = fromConfig.create(as(f.developer), command(BUILD));

        assertThat(pipeline.variables()).containsExactly(JobVariable.of("WHO", "request"));
        Job build = f.repos.jobs().findByPipeline(pipeline.id()).get(0);
        assertThat(build.spec().variables()).containsExactly(JobVariable.of("GREETING", "hello"),
                JobVariable.of("WHO", "build"));
    }

    @Test
    void noConfigurationAnywhereIsGitLabsMissingCiConfigFile() {
        assertThatThrownBy(() -> fromConfig.create(as(f.developer), command(null)))
                .isInstanceOfSatisfying(CiConfigException.class,
                        e -> assertThat(e.firstError()).isEqualTo("Missing CI config file"));
        assertThat(f.repos.pipelines().searchCount(f.project.id(),
                io.jobyard.application.port.out.PipelineRepository.PipelineQuery.ALL)).isZero();
    }

    @Test
    void accessIsCheckedBeforeTheConfigurationIsRead() {
        assertThatThrownBy(() -> fromConfig.create(as(f.reporter), command(BROKEN)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> fromConfig.create(Actor.ANONYMOUS, command(BROKEN)))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> fromConfig.create(as(f.developer), command(BROKEN)))
                .isInstanceOf(CiConfigException.class);
        assertThat(f.repos.pipelines().searchCount(f.project.id(),
                io.jobyard.application.port.out.PipelineRepository.PipelineQuery.ALL)).isZero();
    }

    @Test
    void aConfigurationWithMoreJobsThanTheLimitIsRefusedWithGitLabsWordsAndNeitherRunNorStored() {
        Map<String, Object> four = new LinkedHashMap<>();
        for (String job : List.of("a", "b", "c", "d")) {
            four.put(job, Map.of("script", List.of("make")));
        }
        four.put(".hidden", Map.of("script", List.of("not a job")));
        four.put("variables", Map.of("A", "1"));
        parser.knows("four jobs", four);
        PipelineLimits three = new PipelineLimits(3, 1 << 20, 100);
        Services withLimits = f.rewire(f.settings.withPipelineLimits(three));
        CreatePipelineFromConfigUseCase limited = withLimits.createPipelineFromConfig();
        CiConfigUseCase limitedStore = withLimits.ciConfig();

        assertThatThrownBy(() -> limited.create(as(f.developer), command("four jobs")))
                .isInstanceOfSatisfying(CiConfigException.class, e -> assertThat(e.errors())
                        .containsExactly("Pipeline has too many jobs! Requested 4, but the limit is 3."));
        assertThatThrownBy(() -> limitedStore.store(as(f.maintainer), f.ref, "four jobs"))
                .isInstanceOfSatisfying(CiConfigException.class, e -> assertThat(e.firstError())
                        .isEqualTo("Pipeline has too many jobs! Requested 4, but the limit is 3."));
        assertThat(configs.find(f.project.id())).isEmpty();
        assertThat(f.repos.pipelines().searchCount(f.project.id(),
                io.jobyard.application.port.out.PipelineRepository.PipelineQuery.ALL)).isZero();

        four.remove("d");
        assertThat(limited.create(as(f.developer), command("four jobs"))).isNotNull();
        assertThat(new PipelineLimits(3, 1, 1).tooManyJobs(2001))
                .isEqualTo("Pipeline has too many jobs! Requested 2001, but the limit is 3.");
    }
}
