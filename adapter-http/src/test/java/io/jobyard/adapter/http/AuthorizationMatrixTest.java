package io.jobyard.adapter.http;

import io.jobyard.adapter.http.ApiWorld.ProjectJobs;
import io.jobyard.adapter.http.ApiWorld.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what (contract §0.4, §0.5, §0.7, §3): every endpoint × every kind of caller × a private project and a
 * public one with public pipelines, against the status GitLab answers. The job token is the CI token of a running
 * job of the same project, acting as its user (a developer). Read the tables as the specification.
 */
class AuthorizationMatrixTest {

    private static final String COLUMNS =
            "endpoint               anonymous guest reporter developer maintainer outsider job-token";

    private static final String PRIVATE_PROJECT = """
            list-jobs              401       403   200      200       200        404      200
            pipeline-jobs          404       403   200      200       200        404      200
            get-job                401       403   200      200       200        404      401
            trace                  401       403   200      200       200        404      401
            archive                404       403   200      200       200        404      200
            archive-by-ref         404       403   200      200       200        404      200
            file                   404       403   200      200       200        404      200
            file-by-ref            404       403   200      200       200        404      200
            cancel                 401       403   403      201       201        404      401
            retry                  401       403   403      201       201        404      401
            erase                  401       403   403      201       201        404      401
            play                   401       403   403      200       200        404      401
            keep                   401       403   403      200       200        404      401
            keep-alias             401       403   403      200       200        404      401
            delete-job-artifacts   401       403   403      403       204        404      401
            delete-all-artifacts   401       403   403      403       202        404      401
            current-job            401       404   404      404       404        404      200
            """;

    private static final String PUBLIC_PROJECT = """
            list-jobs              401       200   200      200       200        200      200
            pipeline-jobs          200       200   200      200       200        200      200
            get-job                401       200   200      200       200        200      401
            trace                  401       200   200      200       200        200      401
            archive                200       200   200      200       200        200      200
            archive-by-ref         200       200   200      200       200        200      200
            file                   200       200   200      200       200        200      200
            file-by-ref            200       200   200      200       200        200      200
            cancel                 401       403   403      201       201        403      401
            retry                  401       403   403      201       201        403      401
            erase                  401       403   403      201       201        403      401
            play                   401       403   403      200       200        403      401
            keep                   401       403   403      200       200        403      401
            keep-alias             401       403   403      200       200        403      401
            delete-job-artifacts   401       403   403      403       204        403      401
            delete-all-artifacts   401       403   403      403       202        403      401
            current-job            401       404   404      404       404        404      200
            """;

    /** A request against one project's jobs. */
    private record Call(String method, Function<ProjectJobs, String> path, boolean mutates) {
    }

    private static final Map<String, Call> ENDPOINTS = Map.ofEntries(
            Map.entry("list-jobs", read(p -> jobs(p))),
            Map.entry("pipeline-jobs", read(p -> "/projects/" + p.project().id() + "/pipelines/" + p.main().id()
                    + "/jobs")),
            Map.entry("get-job", read(p -> jobs(p) + "/" + p.build().id())),
            Map.entry("trace", read(p -> jobs(p) + "/" + p.build().id() + "/trace")),
            Map.entry("archive", read(p -> jobs(p) + "/" + p.build().id() + "/artifacts")),
            Map.entry("archive-by-ref", read(p -> jobs(p) + "/artifacts/main/download?job=build")),
            Map.entry("file", read(p -> jobs(p) + "/" + p.build().id() + "/artifacts/out/report.txt")),
            Map.entry("file-by-ref", read(p -> jobs(p) + "/artifacts/main/raw/out/report.txt?job=build")),
            // canceling a finished job changes nothing, so it can share the server
            Map.entry("cancel", new Call("POST", p -> jobs(p) + "/" + p.build().id() + "/cancel", false)),
            Map.entry("retry", write("POST", p -> jobs(p) + "/" + p.test().id() + "/retry")),
            Map.entry("erase", write("POST", p -> jobs(p) + "/" + p.build().id() + "/erase")),
            Map.entry("play", write("POST", p -> jobs(p) + "/" + p.deploy().id() + "/play")),
            Map.entry("keep", write("POST", p -> jobs(p) + "/" + p.build().id() + "/artifacts/keep")),
            Map.entry("keep-alias", write("POST", p -> jobs(p) + "/" + p.build().id() + "/keep")),
            Map.entry("delete-job-artifacts", write("DELETE", p -> jobs(p) + "/" + p.build().id() + "/artifacts")),
            Map.entry("delete-all-artifacts", write("DELETE", p -> "/projects/" + p.project().id() + "/artifacts")),
            Map.entry("current-job", read(p -> "/job")));

    private static ApiWorld shared;

    static Stream<Arguments> matrix() {
        List<Arguments> cells = new ArrayList<>();
        String[] callers = COLUMNS.trim().split("\\s+");
        for (boolean isPublic : new boolean[]{false, true}) {
            for (String line : (isPublic ? PUBLIC_PROJECT : PRIVATE_PROJECT).strip().split("\n")) {
                String[] row = line.trim().split("\\s+");
                for (int column = 1; column < callers.length; column++) {
                    cells.add(Arguments.of(isPublic ? "public" : "private", row[0], callers[column],
                            Integer.parseInt(row[column])));
                }
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} project: {2} → {1} = {3}")
    @MethodSource("matrix")
    void answersWithTheContractsStatus(String visibility, String endpoint, String caller, int expected) {
        Call call = ENDPOINTS.get(endpoint);
        ApiWorld world = call.mutates() ? new ApiWorld() : sharedWorld();
        try {
            ProjectJobs project = world.project(visibility.equals("public"));
            Map<String, String> headers = switch (caller) {
                case "anonymous" -> Map.of();
                case "job-token" -> Map.of("JOB-TOKEN", project.jobToken());
                case "guest" -> Map.of("PRIVATE-TOKEN", "pat-gus");
                case "reporter" -> Map.of("PRIVATE-TOKEN", "pat-rita");
                case "developer" -> Map.of("PRIVATE-TOKEN", "pat-dev");
                case "maintainer" -> Map.of("PRIVATE-TOKEN", "pat-max");
                case "outsider" -> Map.of("PRIVATE-TOKEN", "pat-otto");
                default -> throw new IllegalArgumentException(caller);
            };
            Response response = world.send(call.method(), call.path().apply(project), headers, null);
            assertThat(response.status()).as(response.toString()).isEqualTo(expected);
            if (expected >= 400) {
                assertThat(response.header("Content-Type")).isEqualTo("application/json");
                assertThat(response.json().isObject()).isTrue();
            }
        } finally {
            if (call.mutates()) {
                world.close();
            }
        }
    }

    @AfterAll
    static void stopShared() {
        if (shared != null) {
            shared.close();
        }
    }

    private static synchronized ApiWorld sharedWorld() {
        if (shared == null) {
            shared = new ApiWorld();
        }
        return shared;
    }

    private static String jobs(ProjectJobs project) {
        return "/projects/" + project.project().id() + "/jobs";
    }

    private static Call read(Function<ProjectJobs, String> path) {
        return new Call("GET", path, false);
    }

    private static Call write(String method, Function<ProjectJobs, String> path) {
        return new Call(method, path, true);
    }
}
