package io.jobyard.bootstrap.reliability;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.jobyard.adapter.jdbc.DataSources;
import io.jobyard.adapter.storage.s3.S3ArtifactStore;
import io.jobyard.adapter.storage.s3.S3Settings;
import io.jobyard.bootstrap.Jobyard;
import io.jobyard.bootstrap.JobyardServer;
import io.jobyard.domain.job.JobStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, two instances: two Jobyard servers in this JVM, each with its own connection pool, share one PostgreSQL
 * database and one S3 bucket, and take thousands of concurrent operations over HTTP that all aim at the same few
 * jobs — runners taking jobs, updating them, appending to their logs and uploading archives, users cancelling,
 * retrying, playing, erasing and keeping them — each sent to either instance at random. Afterwards:
 * <ul>
 *   <li>no answer was a 5xx;</li>
 *   <li>every job is in one legal state (its status and timestamps agree, an erased job is finished and empty);</li>
 *   <li>every retried job has exactly one successor, and every (pipeline, name) exactly one current job;</li>
 *   <li>every log is exactly its acknowledged appends: they tile it from byte 0, nothing lost, nothing doubled;</li>
 *   <li>every acknowledged archive is recorded with its SHA-256, and the bucket holds exactly the objects the
 *       database names: no orphan object, no row whose object is missing.</li>
 * </ul>
 * Reduced to 1,000 operations in {@code mvn verify}; {@code -Dreliability.full=true} runs 10,000.
 */
class TwoInstancesOnePostgresTest {
    private static final byte[] SHARED_KEY = new byte[32];

    private static final String ADMIN_TOKEN = "two-instances-admin-token-0123456789";
    private static final String BUCKET = "jobyard";
    private static final String CI_CONFIG = """
            build: {stage: build, script: [x]}
            lint: {stage: build, script: [x]}
            test: {stage: test, script: [x]}
            deploy: {stage: build, script: [x], when: manual}
            """;
    /** Operations aim at the newest jobs only, so that many of them meet on the same job. */
    private static final int HOT_JOBS = 16;
    private static final List<String> STATUSES = List.of("created", "waiting_for_resource", "preparing",
            "waiting_for_callback", "pending", "running", "success", "failed", "canceling", "canceled", "skipped",
            "manual", "scheduled");

    @TempDir
    Path dir;

    private final List<Long> jobs = new CopyOnWriteArrayList<>();
    private final Map<Long, JobLedger> ledger = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();
    private final AtomicInteger pipelineSequence = new AtomicInteger();
    /** Jobs a runner took: the ones with logs and archives, which erase and keep need to do anything. */
    private final List<Long> takenJobs = new CopyOnWriteArrayList<>();

    /** What the clients know of one job: its token, the appends the server acknowledged, the archive it accepted. */
    static final class JobLedger {
        volatile String token;
        final AtomicLong knownLength = new AtomicLong();
        final Map<Long, byte[]> ackedAppends = new TreeMap<>();
        /** Appends answered 403 because the job ended meanwhile: stored perhaps, but never acknowledged. */
        final Map<Long, List<byte[]>> refusedAppends = new TreeMap<>();
        final Set<String> ackedArchives = new TreeSet<>();
        /** Every runner request about the job and its answer, in the order answered: printed when its log is wrong. */
        final List<String> history = new CopyOnWriteArrayList<>();

        void heard(String request, Api api, Api.Reply reply, long sentNanos) {
            history.add(String.format("%,d..%,d µs %s %s → %d Range=%s Job-Status=%s %s",
                    (sentNanos - EPOCH) / 1000, (System.nanoTime() - EPOCH) / 1000, api.base(), request,
                    reply.status(), reply.header("Range"), reply.header("Job-Status"),
                    reply.body().length > 120 ? "" : reply.text()));
        }
    }

    private static final long EPOCH = System.nanoTime();

    @Test
    void concurrentOperationsOnSharedJobsLeaveEveryJobLogAndArtifactConsistent() throws Exception {
        int operations = ReliabilitySize.of("instances.ops", 1_000, 10_000);
        long seed = ReliabilitySize.seed("instances");
        System.out.printf("two instances: %d operations, seed %d%n", operations, seed);
        try (QuietLogs quiet = new QuietLogs(); EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            S3ProxyInProcess s3 = S3ProxyInProcess.start();
            String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            List<Jobyard> instances = new ArrayList<>();
            List<JobyardServer> servers = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    HikariDataSource pool = DataSources.create(DataSources.Settings.of(jdbcUrl, "postgres",
                            "postgres", 6));
                    S3ArtifactStore store = S3ArtifactStore.create(S3Settings.of(s3.endpoint(), "us-east-1", BUCKET,
                            S3ProxyInProcess.ACCESS_KEY, S3ProxyInProcess.SECRET_KEY,
                            dir.resolve("s3-staging-" + i)));
                    store.createBucketIfMissing();
                    // instances sharing a database share its encryption key
                    Jobyard jobyard = Jobyard.builder().ownedDataSource(pool, pool).artifactStore(store)
                            .filesystemStorage(dir.resolve("instance-" + i)).encryptionKey(SHARED_KEY).build();
                    instances.add(jobyard);
                    servers.add(new JobyardServer("127.0.0.1", 0, jobyard.httpHandler(), Duration.ofSeconds(5),
                            jobyard::ready).start());
                }
                instances.get(0).ensureFirstAdministrator(ADMIN_TOKEN);
                List<Api> apis = servers.stream().map(s -> new Api("http://127.0.0.1:" + s.port(), ADMIN_TOKEN))
                        .toList();
                long project = apis.get(0).createProject("acme", "shared");
                String runnerToken = apis.get(1).createRunner();
                for (int i = 0; i < 3; i++) {
                    jobs.addAll(apis.get(i % 2).createPipeline(project, CI_CONFIG, pipelineSequence.incrementAndGet()));
                }

                long started = System.nanoTime();
                run(apis, project, runnerToken, operations, new Random(seed));
                long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                System.out.printf("two instances: %d operations in %d ms (%.0f/s) on %d jobs; outcomes %s%n",
                        operations, millis, operations * 1000.0 / millis, jobs.size(), new TreeMap<>(outcomes));

                assertThat(serverErrors).as("5xx answers").isEmpty();
                checkJobStates(apis.get(0), project);
                checkRetryLineage(jdbcUrl);
                checkLogs(apis.get(1), project);
                collectCrashLitter(instances.get(1), s3.blobStore(), project);
                checkArtifacts(jdbcUrl, s3.blobStore());
            } finally {
                servers.forEach(JobyardServer::close);
                instances.forEach(Jobyard::close);
                s3.stop();
            }
        }
    }

    private void run(List<Api> apis, long project, String runnerToken, int operations, Random random)
            throws Exception {
        AtomicInteger remaining = new AtomicInteger(operations);
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                long workerSeed = random.nextLong();
                done.add(workers.submit(() -> {
                    Random own = new Random(workerSeed);
                    while (remaining.getAndDecrement() > 0) {
                        operate(apis.get(own.nextInt(2)), project, runnerToken, own);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : done) {
                worker.get();
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private void operate(Api api, long project, String runnerToken, Random random)
            throws IOException, InterruptedException {
        int pick = random.nextInt(100);
        long id = jobs.get(Math.max(0, jobs.size() - 1 - random.nextInt(Math.min(HOT_JOBS, jobs.size()))));
        JobLedger job = ledger.computeIfAbsent(id, any -> new JobLedger());
        String path = "/projects/" + project + "/jobs/" + id;
        long sent = System.nanoTime();
        if (pick < 12) {
            Api.Reply taken = api.requestJob(runnerToken);
            record("request", taken);
            if (taken.status() == 201) {
                JsonNode payload = taken.json();
                JobLedger takenJob = ledger.computeIfAbsent(payload.get("id").asLong(), any -> new JobLedger());
                takenJob.token = payload.get("token").asText();
                takenJob.heard("POST /jobs/request", api, taken, sent);
                takenJobs.add(payload.get("id").asLong());
            } else if (taken.status() == 204) {
                jobs.addAll(api.createPipeline(project, CI_CONFIG, pipelineSequence.incrementAndGet()));
            }
        } else if (pick < 24) {
            String token = job.token;
            if (token != null) {
                String state = List.of("running", "running", "success", "failed").get(random.nextInt(4));
                Api.Reply updated = api.updateJob(id, token, state);
                record("put " + state, updated);
                job.heard("PUT state=" + state, api, updated, sent);
            }
        } else if (pick < 52) {
            String token = job.token;
            if (token != null) {
                long offset = job.knownLength.get();
                byte[] bytes = Api.logBytes(random, 1 + random.nextInt(8192));
                Api.Reply appended = api.appendTrace(id, token, offset, bytes);
                record("patch", appended);
                job.heard("PATCH at " + offset + " +" + bytes.length, api, appended, sent);
                synchronized (job) {
                    if (appended.status() == 202) {
                        assertThat(job.ackedAppends.put(offset, bytes)).as("two appends acknowledged at " + offset
                                + " of job " + id).isNull();
                    } else if (appended.status() == 403) {
                        job.refusedAppends.computeIfAbsent(offset, any -> new ArrayList<>()).add(bytes);
                    }
                }
                String range = appended.header("Range");
                if (range != null) {
                    long length = Long.parseLong(range.substring(range.indexOf('-') + 1));
                    job.knownLength.accumulateAndGet(length, Math::max);
                }
            }
        } else if (pick < 62) {
            String token = job.token;
            if (token != null) {
                byte[] zip = Api.zip(random, 512 + random.nextInt(32 * 1024));
                Api.Reply uploaded = api.uploadArchive(id, token, zip);
                record("upload", uploaded);
                job.heard("POST artifacts", api, uploaded, sent);
                if (uploaded.status() == 201) {
                    synchronized (job) {
                        job.ackedArchives.add(Api.sha256(zip));
                    }
                }
            }
        } else if (pick < 70) {
            Api.Reply canceled = api.admin("POST", path + "/cancel", null);
            record("cancel", canceled);
            job.heard("cancel", api, canceled, sent);
        } else if (pick < 78) {
            Api.Reply retried = api.admin("POST", path + "/retry", null);
            record("retry", retried);
            job.heard("retry", api, retried, sent);
            if (retried.status() == 201) {
                jobs.add(retried.json().get("id").asLong());
            }
        } else if (pick < 85) {
            Api.Reply played = api.admin("POST", path + "/play", null);
            record("play", played);
            job.heard("play", api, played, sent);
        } else if (pick < 92) {
            String erasePath = takenJobPath(project, path, random);
            Api.Reply erased = api.admin("POST", erasePath + "/erase", null);
            record("erase", erased);
            jobOf(erasePath).heard("erase", api, erased, sent);
        } else {
            String keepPath = takenJobPath(project, path, random);
            Api.Reply kept = api.admin("POST", keepPath + "/artifacts/keep", null);
            record("keep", kept);
            jobOf(keepPath).heard("keep", api, kept, sent);
        }
    }

    private JobLedger jobOf(String path) {
        return ledger.computeIfAbsent(Long.parseLong(path.substring(path.lastIndexOf('/') + 1)),
                any -> new JobLedger());
    }

    private String takenJobPath(long project, String hotPath, Random random) {
        if (takenJobs.isEmpty() || random.nextBoolean()) {
            return hotPath;
        }
        int from = Math.max(0, takenJobs.size() - HOT_JOBS);
        return "/projects/" + project + "/jobs/" + takenJobs.get(from + random.nextInt(takenJobs.size() - from));
    }

    private void record(String operation, Api.Reply reply) {
        outcomes.computeIfAbsent(operation + " " + reply.status(), any -> new AtomicInteger()).incrementAndGet();
        if (reply.status() >= 500) {
            serverErrors.add(operation + " → " + reply);
        }
    }

    /** Every job through the Jobs API: a known status whose timestamps agree with it. */
    private void checkJobStates(Api api, long project) throws IOException, InterruptedException {
        List<String> illegal = new ArrayList<>();
        Map<String, Integer> census = new TreeMap<>();
        for (long id : new TreeSet<>(jobs)) {
            JsonNode job = api.adminExpect("GET", "/projects/" + project + "/jobs/" + id, null, 200);
            String status = job.get("status").asText();
            census.merge(status, 1, Integer::sum);
            boolean complete = List.of("success", "failed", "canceled").contains(status);
            if (!STATUSES.contains(status)
                    || (complete && job.get("finished_at").isNull())
                    || (status.equals("running") && (job.get("started_at").isNull() || job.get("runner").isNull()))
                    || (!job.get("erased_at").isNull() && !complete)
                    || (status.equals("failed") != job.has("failure_reason"))) {
                illegal.add(id + ": " + job);
            }
        }
        System.out.println("two instances: job statuses " + census);
        assertThat(illegal).as("jobs in no legal state").isEmpty();
    }

    private void checkRetryLineage(String jdbcUrl) throws SQLException {
        try (Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement sql = connection.createStatement()) {
            List<Long> withoutOneSuccessor = ids(sql, "SELECT id FROM jobs j WHERE retried AND "
                    + "(SELECT COUNT(*) FROM jobs s WHERE s.retried_from = j.id) <> 1");
            if (!withoutOneSuccessor.isEmpty()) {
                dumpLineage(sql, withoutOneSuccessor);
            }
            assertThat(withoutOneSuccessor).as("retried jobs without exactly one successor").isEmpty();
            assertThat(ids(sql, "SELECT s.id FROM jobs s JOIN jobs p ON s.retried_from = p.id WHERE NOT p.retried"))
                    .as("successors of jobs not marked retried").isEmpty();
            assertThat(ids(sql, "SELECT MIN(id) FROM jobs WHERE NOT retried GROUP BY pipeline_id, name "
                    + "HAVING COUNT(*) <> 1")).as("names with more than one current job").isEmpty();
            assertThat(ids(sql, "SELECT COUNT(*) FROM jobs WHERE retried")).as("retries happened")
                    .isNotEqualTo(List.of(0L));
        }
    }

    /**
     * For diagnosis of a failed lineage check: every job of the pipelines of {@code suspects}, with its lineage, and the
     * status events recorded for them (each written in the transaction that made the change, so they show which
     * transactions committed what, in order).
     */
    private static void dumpLineage(Statement sql, List<Long> suspects) throws SQLException {
        String in = suspects.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        String pipelines = "SELECT pipeline_id FROM jobs WHERE id IN (" + in + ")";
        System.out.println("two instances: lineage of the pipelines of jobs " + suspects
                + " (id name status retried retried_from lock_version created_at updated_at)");
        try (ResultSet rs = sql.executeQuery("SELECT id, name, status, retried, retried_from, lock_version, "
                + "created_at, updated_at FROM jobs WHERE pipeline_id IN (" + pipelines + ") ORDER BY name, id")) {
            while (rs.next()) {
                System.out.printf("  job %d %s status=%s retried=%s retried_from=%s lock=%d created=%s updated=%s%n",
                        rs.getLong(1), rs.getString(2), JobStatus.fromCode(rs.getInt(3)).wireName(), rs.getBoolean(4),
                        rs.getObject(5), rs.getLong(6), rs.getObject(7), rs.getObject(8));
            }
        }
        try (ResultSet rs = sql.executeQuery("SELECT id, seq, kind, job_id, status, previous_status, recorded_at "
                + "FROM project_events WHERE pipeline_id IN (" + pipelines + ") ORDER BY seq")) {
            while (rs.next()) {
                System.out.printf("  event %d seq=%d %s job=%s %s -> %s at %s%n", rs.getLong(1), rs.getLong(2),
                        rs.getString(3), rs.getObject(4), rs.getString(6), rs.getString(5), rs.getObject(7));
            }
        }
    }

    /** Each log is its acknowledged appends: they tile it from 0, and an erased job's log is gone. */
    private void checkLogs(Api api, long project) throws IOException, InterruptedException {
        List<String> wrong = new ArrayList<>();
        Set<Long> wrongJobs = new TreeSet<>();
        long bytes = 0;
        AtomicInteger refusedButStored = new AtomicInteger();
        for (Map.Entry<Long, JobLedger> entry : new TreeMap<>(ledger).entrySet()) {
            long id = entry.getKey();
            JobLedger job = entry.getValue();
            int wrongBefore = wrong.size();
            String path = "/projects/" + project + "/jobs/" + id;
            boolean erased = !api.adminExpect("GET", path, null, 200).get("erased_at").isNull();
            Api.Reply trace = api.admin("GET", path + "/trace", null);
            assertThat(trace.status()).isEqualTo(200);
            if (erased) {
                if (trace.body().length != 0) {
                    wrong.add("job " + id + " is erased but its log has " + trace.body().length + " bytes");
                    wrongJobs.add(id);
                }
                continue;
            }
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            for (Map.Entry<Long, byte[]> append : job.ackedAppends.entrySet()) {
                if (append.getKey() != expected.size()) {
                    wrong.add("job " + id + ": acknowledged append at " + append.getKey() + " after "
                            + expected.size() + " acknowledged bytes");
                }
                expected.writeBytes(append.getValue());
            }
            bytes += expected.size();
            byte[] log = trace.body();
            if (log.length > expected.size()) {
                // An append refused because the job ended while it was stored may be in the log — whole, and last.
                byte[] tail = java.util.Arrays.copyOfRange(log, expected.size(), log.length);
                if (job.refusedAppends.getOrDefault((long) expected.size(), List.of()).stream()
                        .anyMatch(refused -> java.util.Arrays.equals(refused, tail))) {
                    expected.writeBytes(tail);
                    refusedButStored.incrementAndGet();
                }
            }
            if (!java.util.Arrays.equals(log, expected.toByteArray())) {
                wrong.add("job " + id + ": log of " + trace.body().length + " bytes, acknowledged "
                        + expected.size() + " (" + job.ackedAppends.size() + " appends); first difference at "
                        + java.util.Arrays.mismatch(trace.body(), expected.toByteArray()));
            }
            if (wrong.size() > wrongBefore) {
                wrongJobs.add(id);
            }
        }
        if (!wrong.isEmpty()) {
            wrongJobs.forEach(id -> {
                System.out.println("two instances: what the clients heard about job " + id + " (sent..answered)");
                ledger.get(id).history.forEach(line -> System.out.println("  " + line));
            });
        }
        System.out.printf("two instances: %d acknowledged log bytes checked; %d logs end with an append refused "
                + "(403) because the job ended while it was stored%n", bytes, refusedButStored.get());
        assertThat(wrong).as("logs that are not their acknowledged appends").isEmpty();
    }

    /**
     * What a kill between storing an upload and recording it leaves — objects under artifact keys that no row names —
     * is collected by one orphan sweep, after which {@link #checkArtifacts} finds the bucket and the rows equal: the
     * sweep took every orphan and not one object a row names. The load is over, so a grace of zero races nothing.
     */
    private void collectCrashLitter(Jobyard instance, BlobStore bucket, long project) throws InterruptedException {
        Set<String> litter = new TreeSet<>();
        for (int i = 0; i < 5; i++) {
            String key = "projects/" + project + "/jobs/" + jobs.get(i % jobs.size()) + "/" + (900_000 + i)
                    + "-archive-" + UUID.randomUUID();
            bucket.putBlob(BUCKET, bucket.blobBuilder(key).payload(new byte[] {1, 2, 3}).build());
            litter.add(key);
        }
        // Object storage keeps Last-Modified to the second: the litter must be in the past, a whole second ago.
        Instant planted = Instant.now();
        await("a second after planting").atMost(Duration.ofSeconds(10))
                .until(() -> Instant.now().isAfter(planted.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)));

        long deleted = instance.collectOrphanBlobs(Duration.ZERO);

        System.out.printf("two instances: the orphan sweep deleted %d objects (%d planted)%n", deleted,
                litter.size());
        assertThat(deleted).as("orphans deleted").isGreaterThanOrEqualTo(litter.size());
        assertThat(litter).as("planted orphans left").noneMatch(key -> bucket.blobExists(BUCKET, key));
    }

    /** The bucket against the artifact rows, and every acknowledged archive against its row. */
    private void checkArtifacts(String jdbcUrl, BlobStore bucket) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        Map<Long, String> archiveShaByJob = new HashMap<>();
        Set<Long> erased = new TreeSet<>();
        List<Long> erasedWithArtifacts;
        try (Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement sql = connection.createStatement()) {
            try (ResultSet rs = sql.executeQuery("SELECT job_id, file_type, sha256, storage_key FROM job_artifacts")) {
                while (rs.next()) {
                    rows.put(rs.getString("storage_key"), rs.getLong("job_id") + "/" + rs.getInt("file_type"));
                    if (rs.getInt("file_type") == 1) {
                        archiveShaByJob.put(rs.getLong("job_id"), rs.getString("sha256"));
                    }
                }
            }
            erased.addAll(ids(sql, "SELECT id FROM jobs WHERE erased_at IS NOT NULL"));
            erasedWithArtifacts = ids(sql, "SELECT DISTINCT a.job_id FROM job_artifacts a"
                    + " JOIN jobs j ON j.id = a.job_id WHERE j.erased_at IS NOT NULL");
        }
        Set<String> objects = new TreeSet<>();
        String marker = null;
        do {
            ListContainerOptions options = ListContainerOptions.Builder.recursive();
            if (marker != null) {
                options.afterMarker(marker);
            }
            PageSet<? extends StorageMetadata> page = bucket.list(BUCKET, options);
            for (StorageMetadata object : page) {
                if (object.getType() == StorageType.BLOB) {
                    objects.add(object.getName());
                }
            }
            marker = page.getNextMarker();
        } while (marker != null);

        Set<String> orphans = new TreeSet<>(objects);
        orphans.removeAll(rows.keySet());
        Set<String> dangling = new TreeSet<>(rows.keySet());
        dangling.removeAll(objects);
        System.out.printf("two instances: %d objects in the bucket, %d artifact rows, %d orphans, %d dangling; "
                        + "%d erased jobs, %d of them with artifacts%n", objects.size(), rows.size(), orphans.size(),
                dangling.size(), erased.size(), erasedWithArtifacts.size());
        assertThat(orphans).as("objects no artifact row names").isEmpty();
        assertThat(dangling).as("artifact rows whose object is missing").isEmpty();

        List<String> lost = new ArrayList<>();
        ledger.forEach((id, job) -> {
            if (job.ackedArchives.size() > 1) {
                lost.add("job " + id + ": two different archives acknowledged " + job.ackedArchives);
            }
            if (!job.ackedArchives.isEmpty() && !erased.contains(id)
                    && !job.ackedArchives.contains(archiveShaByJob.get(id))) {
                lost.add("job " + id + ": acknowledged archive " + job.ackedArchives + ", recorded "
                        + archiveShaByJob.get(id));
            }
        });
        assertThat(lost).as("acknowledged archives").isEmpty();
    }

    private static List<Long> ids(Statement sql, String query) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** S3Proxy over an in-memory jclouds blob store, checking v4 signatures, on a free loopback port. */
    record S3ProxyInProcess(BlobStoreContext context, S3Proxy proxy, URI endpoint) {
        static final String ACCESS_KEY = "jobyard-reliability";
        static final String SECRET_KEY = "jobyard-reliability-secret";

        static S3ProxyInProcess start() throws Exception {
            BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials(ACCESS_KEY, SECRET_KEY)
                    .build(BlobStoreContext.class);
            S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .endpoint(URI.create("http://127.0.0.1:0")).build();
            proxy.start();
            await("S3Proxy started").atMost(Duration.ofMinutes(1)).until(proxy::getState, "STARTED"::equals);
            return new S3ProxyInProcess(context, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
        }

        BlobStore blobStore() {
            return context.getBlobStore();
        }

        void stop() throws Exception {
            try {
                proxy.stop();
            } finally {
                context.close();
            }
        }
    }
}
