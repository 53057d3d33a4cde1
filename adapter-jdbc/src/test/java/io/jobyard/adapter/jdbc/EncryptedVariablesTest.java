package io.jobyard.adapter.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.contract.TestData;
import io.jobyard.application.memory.FakeSecretCipher;
import io.jobyard.application.port.out.SecretCipher;
import io.jobyard.domain.error.JobyardException;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.pipeline.Pipeline;
import io.jobyard.domain.project.Project;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pipeline and job variables at rest, on H2 and PostgreSQL: sealed with the configured key (never plaintext in the
 * database), bound to their rows, sealed at the first start with a key when they were stored before encryption, and a
 * start with another key refused with a message that names both keys.
 */
class EncryptedVariablesTest {
    private static final SecretCipher KEY_1 = new FakeSecretCipher("key-one");
    private static final SecretCipher KEY_2 = new FakeSecretCipher("key-two");
    private static final List<JobVariable> SECRETS = List.of(new JobVariable("DEPLOY_PASSWORD", "hunter2-pipeline",
            true, false), JobVariable.of("KUBECONFIG_TEXT", "cluster-secret-value"));

    @TempDir
    Path directory;

    private HikariDataSource database(String kind) {
        return kind.equals("h2") ? TestStores.h2DataSource(directory) : TestStores.newPostgresDatabase(2);
    }

    private static Repositories repositories(JdbcPersistence persistence) {
        return TestStores.repositories(persistence);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void variablesAreSealedInTheDatabaseAndReadBackWhole(String kind) {
        try (HikariDataSource pool = database(kind)) {
            JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool, KEY_1);
            Stored stored = store(repositories(persistence));

            for (String column : rawVariables(persistence)) {
                assertThat(column).doesNotContain("hunter2").doesNotContain("cluster-secret")
                        .doesNotContain("DEPLOY_PASSWORD");
            }
            assertThat(rawVariables(persistence)).contains("[]").anyMatch(v -> v.startsWith("fake:key-one:"));
            assertThat(persistence.pipelines().findById(stored.pipeline().id()).orElseThrow().variables())
                    .isEqualTo(SECRETS);
            assertThat(persistence.jobs().findById(stored.job().id()).orElseThrow().spec().variables())
                    .isEqualTo(SECRETS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void variablesStoredBeforeEncryptionAreSealedAtTheFirstStartWithAKey(String kind) {
        try (HikariDataSource pool = database(kind)) {
            JdbcPersistence before = JdbcPersistence.migrateAndOpen(pool);
            Stored stored = store(repositories(before));
            assertThat(rawVariables(before)).anyMatch(v -> v.contains("hunter2"));

            JdbcPersistence after = JdbcPersistence.migrateAndOpen(pool, KEY_1);

            assertThat(rawVariables(after)).noneMatch(v -> v.contains("hunter2") || v.contains("cluster-secret"));
            assertThat(after.jobs().findById(stored.job().id()).orElseThrow().spec().variables()).isEqualTo(SECRETS);
            assertThat(after.pipelines().findById(stored.pipeline().id()).orElseThrow().variables())
                    .isEqualTo(SECRETS);
            List<String> keys = after.jdbi().withHandle(h -> h.createQuery("SELECT key_id FROM encryption_keys")
                    .mapTo(String.class).list());
            assertThat(keys).containsExactly("key-one");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anotherKeyIsRefusedAtTheStartNamingBothKeys(String kind) {
        try (HikariDataSource pool = database(kind)) {
            store(repositories(JdbcPersistence.migrateAndOpen(pool, KEY_1)));

            assertThatThrownBy(() -> JdbcPersistence.migrateAndOpen(pool, KEY_2))
                    .isInstanceOf(JobyardException.class)
                    .hasMessageContaining("encrypted under the key key-one")
                    .hasMessageContaining("the configured key is key-two");
            Stored again = store(repositories(JdbcPersistence.migrateAndOpen(pool, KEY_1)));
            assertThat(again.job().spec().variables()).isEqualTo(SECRETS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aSealedValueCopiedToAnotherRowDoesNotOpenThere(String kind) {
        try (HikariDataSource pool = database(kind)) {
            JdbcPersistence persistence = JdbcPersistence.migrateAndOpen(pool, KEY_1);
            Stored stored = store(repositories(persistence));
            persistence.jdbi().useHandle(h -> h.createUpdate("UPDATE jobs SET variables = (SELECT variables FROM"
                    + " jobs WHERE id = :from) WHERE id = :to").bind("from", stored.job().id().value())
                    .bind("to", stored.other().id().value()).execute());

            assertThatThrownBy(() -> persistence.jobs().findById(stored.other().id()))
                    .hasMessageContaining("the variables of jobs row " + stored.other().id().value()
                            + " cannot be read");
        }
    }

    private record Stored(Pipeline pipeline, Job job, Job other) {
    }

    private static Stored store(Repositories repos) {
        TestData data = new TestData(repos);
        Project project = data.project("encrypted-" + TestData.unique());
        Pipeline record = data.pipelineRecord(project, "main", JobStatus.CREATED);
        Pipeline pipeline = repos.pipelines().insert(new Pipeline(record.id(), record.iid(), record.projectId(),
                record.ref(), record.tag(), record.commit(), record.source(), record.status(), record.stages(),
                SECRETS, record.userId(), record.createdAt(), record.updatedAt(), null, null, 0));
        Job job = data.insert(data.jobBuilder(pipeline, "deploy")
                .spec(JobSpec.simple("deploy", "test", 1).withVariables(SECRETS)));
        Job other = data.insert(data.jobBuilder(pipeline, "plain"));
        return new Stored(pipeline, job, other);
    }

    private static List<String> rawVariables(JdbcPersistence persistence) {
        List<String> columns = persistence.jdbi().withHandle(h -> h.createQuery(
                "SELECT variables FROM pipelines UNION ALL SELECT variables FROM jobs").mapTo(String.class).list());
        return columns;
    }
}
