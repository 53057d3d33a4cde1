package io.jobyard.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardBuilder;
import io.jobyard.bootstrap.JobyardServer;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The world of the live-stream tests: Jobyard on an H2 file behind a real socket, with an administrator, one project
 * and a registered runner. Each test configures the builder (the live log's heartbeat, poll, bounds) and takes jobs.
 */
final class LiveServer implements AutoCloseable {
    final Jobyard jobyard;
    final JobyardServer server;
    final String base;
    final Api api;
    final long project;
    final String runner;

    private LiveServer(Jobyard jobyard, JobyardServer server, Api api, long project, String runner) {
        this.jobyard = jobyard;
        this.server = server;
        this.base = "http://127.0.0.1:" + server.port();
        this.api = api;
        this.project = project;
        this.runner = runner;
    }

    static LiveServer start(Path dir, String adminToken, String projectName, UnaryOperator<JobyardBuilder> configure)
            throws Exception {
        var pool = DataSources.create(DataSources.Settings.of(DataSources.h2FileUrl(dir.resolve("db")), "sa", "", 10));
        Jobyard jobyard = configure.apply(Jobyard.builder().ownedDataSource(pool, pool).filesystemStorage(dir)).build();
        jobyard.ensureFirstAdministrator(adminToken);
        JobyardServer server = new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(1),
                jobyard::ready).start();
        Api api = new Api("http://127.0.0.1:" + server.port(), adminToken);
        return new LiveServer(jobyard, server, api, api.createProject("acme", projectName), api.createRunner());
    }

    /** A one-job pipeline whose job the runner has taken: its log is live. */
    RunningJob takeJob() throws Exception {
        api.createPipeline(project, "build: {script: [make]}", 1);
        JsonNode taken = api.requestJob(runner).json();
        return new RunningJob(taken.get("id").asLong(), taken.get("token").asText());
    }

    @Override
    public void close() {
        server.close();
        jobyard.close();
    }

    /** A running job and the log its runner has sent so far. */
    final class RunningJob {
        final long id;
        final String token;
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();

        private RunningJob(long id, String token) {
            this.id = id;
            this.token = token;
        }

        /** Appends {@code part} where the sent log ends, as the runner does; the append must be accepted. */
        void append(byte[] part) throws Exception {
            Api.Reply reply = api.appendTrace(id, token, sent.size(), part);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
            sent.writeBytes(part);
        }

        String tracePath() {
            return "/api/v4/projects/" + project + "/jobs/" + id + "/trace";
        }
    }
}
