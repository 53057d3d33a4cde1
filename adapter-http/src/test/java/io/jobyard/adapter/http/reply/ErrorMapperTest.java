package io.jobyard.adapter.http.reply;

import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.error.RunnerForbiddenException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.error.TraceOffsetMismatchException;
import io.jobyard.domain.error.TraceTooLargeException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.error.UnavailableException;
import io.jobyard.domain.job.JobStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Contract §0.1: every refusal's status and exact body, the two families and the three 404 spellings. */
class ErrorMapperTest {
    private final ErrorMapper mapper = new ErrorMapper();

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments(NotFoundException.resource("Project"), 404, Map.of("message", "404 Project Not Found")),
                arguments(NotFoundException.resource("Job"), 404, Map.of("message", "404 Job Not Found")),
                arguments(NotFoundException.record("Job"), 404, Map.of("message", "404 Not found")),
                arguments(NotFoundException.plain("Artifact"), 404, Map.of("message", "404 Not Found")),
                arguments(new ForbiddenException(), 403, Map.of("message", "403 Forbidden")),
                arguments(new ForbiddenException("Job is not retryable"), 403,
                        Map.of("message", "403 Forbidden - Job is not retryable")),
                arguments(new UnauthorizedException("expired"), 401, Map.of("message", "401 Unauthorized")),
                arguments(new BadRequestException(null), 400, Map.of("message", "400 Bad request")),
                arguments(new BadRequestException("Unplayable Job"), 400,
                        Map.of("message", "400 Bad request - Unplayable Job")),
                arguments(new io.jobyard.domain.error.TextTooLongException("name", 255), 400,
                        Map.of("message", Map.of("name",
                                java.util.List.of("is too long (maximum is 255 characters)")))),
                arguments(new InvalidParameterException("job_id is invalid"), 400,
                        Map.of("error", "job_id is invalid")),
                arguments(new io.jobyard.domain.pipeline.config.CiConfigException(java.util.List.of(
                        "jobs:build config contains unknown keys: foo", "jobs:test script can't be blank")), 400,
                        Map.of("message", Map.of("base",
                                java.util.List.of("jobs:build config contains unknown keys: foo")))),
                arguments(new StaleObjectException("job"), 409, Map.of("message", "409 Conflict: Resource lock")),
                arguments(ConflictException.resourceLock(), 409, Map.of("message", "409 Conflict: Resource lock")),
                arguments(new ConflictException("Action temporarily disabled."), 409,
                        Map.of("message", "Action temporarily disabled.")),
                arguments(new PayloadTooLargeException("file size has reached maximum size limit"), 413,
                        Map.of("message", "file size has reached maximum size limit")),
                arguments(new RangeNotSatisfiableException(10), 416, Map.of("error", "416 Range Not Satisfiable")),
                arguments(new TraceOffsetMismatchException(10), 416, Map.of("error", "416 Range Not Satisfiable")),
                arguments(new TraceTooLargeException(), 403, Map.of("error", "403 Forbidden")),
                arguments(RunnerForbiddenException.plain(), 403, Map.of("message", "403 Forbidden")),
                arguments(new RunnerForbiddenException("Job is not processing on runner", JobStatus.CANCELED), 403,
                        Map.of("message", "403 Forbidden - Job is not processing on runner")),
                arguments(new UnavailableException("db down", new RuntimeException()), 503,
                        Map.of("message", "503 Service Unavailable")),
                arguments(ApiError.error(404, "404 Not Found"), 404, Map.of("error", "404 Not Found")),
                arguments(new IllegalStateException("secret internals"), 500,
                        Map.of("message", "500 Internal Server Error")));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void mapsToGitLabsStatusAndBody(Throwable refusal, int status, Map<String, Object> body) {
        ErrorMapper.Mapped mapped = mapper.map(refusal);
        assertThat(mapped.status()).isEqualTo(status);
        assertThat(mapped.body()).isEqualTo(body);
    }

    @org.junit.jupiter.api.Test
    void anExpiredOrRevokedTokenGetsTheOAuthBodyAndChallenge() {
        ErrorMapper.Mapped expired = mapper.map(new UnauthorizedException(ErrorMapper.TOKEN_EXPIRED));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).containsExactly(Map.entry("error", "invalid_token"),
                Map.entry("error_description", ErrorMapper.TOKEN_EXPIRED));
        assertThat(expired.headers().get("WWW-Authenticate")).startsWith("Bearer ").contains("invalid_token");
        assertThat(mapper.map(new UnauthorizedException(ErrorMapper.TOKEN_REVOKED)).body())
                .containsEntry("error_description", ErrorMapper.TOKEN_REVOKED);
    }

    @org.junit.jupiter.api.Test
    void anUnsatisfiableRangeNamesTheCurrentLength() {
        assertThat(mapper.map(new RangeNotSatisfiableException(1234)).headers())
                .containsExactly(Map.entry("Content-Range", "bytes */1234"));
    }

    @org.junit.jupiter.api.Test
    void aLogAppendAtTheWrongOffsetTellsTheRunnerWhereToResendFromInRange() {
        // GitLab's runner.rb: error!('416 Range Not Satisfiable', 416, { 'Range' => "0-#{stream_size}" })
        assertThat(mapper.map(new TraceOffsetMismatchException(1234)).headers())
                .containsExactly(Map.entry("Range", "0-1234"));
    }

    @org.junit.jupiter.api.Test
    void aRunnerRefusedForAJobThatEndedIsToldTheJobsStatus() {
        assertThat(mapper.map(new RunnerForbiddenException("Job is not processing on runner", JobStatus.CANCELED))
                .headers()).containsExactly(Map.entry("Job-Status", "canceled"));
        assertThat(mapper.map(RunnerForbiddenException.plain()).headers()).isEmpty();
        assertThat(mapper.map(new TraceTooLargeException()).headers()).isEmpty();
    }
}
