package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.domain.error.RunnerForbiddenException;
import io.jobyard.domain.error.TextTooLongException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The runner API's refusals: what only runner endpoints raise is mapped here, everything else as the Jobs API maps it
 * (contract §0.1). A job that no longer executes is refused with {@code Job-Status}, which tells the runner to stop.
 */
final class RunnerErrors {
    private final ErrorMapper common;

    RunnerErrors(ErrorMapper common) {
        this.common = Objects.requireNonNull(common, "common");
    }

    ErrorMapper.Mapped map(Throwable failure) {
        if (failure instanceof RunnerForbiddenException forbidden) {
            Map<String, String> headers = new LinkedHashMap<>();
            forbidden.jobStatus().ifPresent(status -> headers.put(RunnerParams.JOB_STATUS, status.wireName()));
            String text = forbidden.reason().map(reason -> "403 Forbidden - " + reason).orElse("403 Forbidden");
            return new ErrorMapper.Mapped(403, Map.of("message", text), headers);
        }
        if (failure instanceof TextTooLongException tooLong) {
            // POST /user/runners answers its service's errors with bad_request!(runner.errors.full_messages...).
            return new ErrorMapper.Mapped(400, Map.of("message", "400 Bad request - " + tooLong.fullMessage()),
                    Map.of());
        }
        return common.map(failure);
    }
}
