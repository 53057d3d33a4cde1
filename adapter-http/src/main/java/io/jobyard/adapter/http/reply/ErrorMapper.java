package io.jobyard.adapter.http.reply;

import io.jobyard.domain.error.BadRequestException;
import io.jobyard.domain.error.ConflictException;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.error.GoneException;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.error.InvalidTransitionException;
import io.jobyard.domain.error.NotAllowedException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.error.RangeNotSatisfiableException;
import io.jobyard.domain.error.RunnerForbiddenException;
import io.jobyard.domain.error.StaleObjectException;
import io.jobyard.domain.error.TextTooLongException;
import io.jobyard.domain.error.TraceOffsetMismatchException;
import io.jobyard.domain.error.TraceTooLargeException;
import io.jobyard.domain.error.UnauthorizedException;
import io.jobyard.domain.error.UnavailableException;
import io.jobyard.domain.error.UnprocessableException;
import io.jobyard.domain.pipeline.config.CiConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns a refusal into GitLab's status, body and headers (contract §0.1), for every route: the
 * Jobs API, the runner protocol, pipelines and the admin surface. GitLab has two body families — {@code {"message":
 * ...}} from its helpers and {@code {"error": ...}} from parameter validation and {@code error!} — and spells its 404
 * three ways; clients see each difference, so each condition has its own exception and keeps its own shape here.
 * Endpoints never catch a refusal to translate it.
 *
 * <p>Anything unexpected is a 500 with GitLab's fixed body; the stack trace goes to the server log only.
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    static final String TOKEN_EXPIRED = "Token is expired. You can either do re-authorization or token refresh.";
    static final String TOKEN_REVOKED = "Token was revoked. You have to re-authorize from the user.";
    /** The job's status, read by a runner to stop working on a job that no longer runs. */
    public static final String JOB_STATUS = "Job-Status";

    /** A mapped refusal. */
    public record Mapped(int status, Map<String, Object> body, Map<String, String> headers) {
    }

    public Mapped map(Throwable failure) {
        if (failure instanceof ApiError api) {
            return new Mapped(api.status(), api.body(), api.headers());
        }
        if (failure instanceof NotFoundException notFound) {
            return message(404, switch (notFound.kind()) {
                case RESOURCE -> "404 " + notFound.resource() + " Not Found";
                case RECORD -> "404 Not found";
                case PLAIN -> "404 Not Found";
            });
        }
        if (failure instanceof ForbiddenException forbidden) {
            if (forbidden.verbatim()) {
                return message(403, forbidden.reason().orElseThrow());
            }
            return message(403, forbidden.reason().map(r -> "403 Forbidden - " + r).orElse("403 Forbidden"));
        }
        if (failure instanceof RunnerForbiddenException forbidden) {
            // forbidden! on the runner routes; Job-Status tells the runner to stop working on a job that ended.
            Map<String, String> headers = new LinkedHashMap<>();
            forbidden.jobStatus().ifPresent(status -> headers.put(JOB_STATUS, status.wireName()));
            return new Mapped(403, Map.of("message",
                    forbidden.reason().map(r -> "403 Forbidden - " + r).orElse("403 Forbidden")), headers);
        }
        if (failure instanceof TraceTooLargeException) {
            // PATCH /jobs/:id/trace answers the log outgrowing its limit with error!('403 Forbidden', 403).
            return new Mapped(403, Map.of("error", "403 Forbidden"), Map.of());
        }
        if (failure instanceof GoneException gone) {
            // render_api_error_with_reason!(410, '410 Gone', reason)
            return message(410, "410 Gone - " + gone.reason());
        }
        if (failure instanceof UnauthorizedException unauthorized) {
            return unauthorized(unauthorized.getMessage());
        }
        if (failure instanceof BadRequestException badRequest) {
            return message(400, badRequest.reason().map(r -> "400 Bad request - " + r).orElse("400 Bad request"));
        }
        if (failure instanceof CiConfigException invalidConfig) {
            // GitLab's render_validation_error! of the pipeline: its first configuration error under "base".
            return new Mapped(400, Map.of("message", Map.of("base", List.of(invalidConfig.firstError()))), Map.of());
        }
        if (failure instanceof TextTooLongException tooLong) {
            // render_validation_error!: the model's errors by attribute, Rails' length message under each.
            return new Mapped(400, Map.of("message", Map.of(tooLong.attribute(), List.of(tooLong.problem()))),
                    Map.of());
        }
        if (failure instanceof InvalidParameterException invalid) {
            return new Mapped(400, Map.of("error", invalid.error()), Map.of());
        }
        if (failure instanceof InvalidTransitionException transition) {
            // GitLab's services turn these into refusals before the API sees them; one that escapes is the
            // client's request not fitting the job's state, not a server fault.
            return message(400, "400 Bad request - " + transition.getMessage());
        }
        if (failure instanceof StaleObjectException) {
            return message(409, "409 Conflict: Resource lock");
        }
        if (failure instanceof ConflictException conflict) {
            return message(409, conflict.getMessage());
        }
        if (failure instanceof UnprocessableException unprocessable) {
            // render_api_error!(message, 422): "Expires at must be before …", "Invalid url given" for a hook
            return message(422, unprocessable.getMessage());
        }
        if (failure instanceof NotAllowedException notAllowed) {
            return message(405, notAllowed.getMessage());
        }
        if (failure instanceof PayloadTooLargeException tooLarge) {
            return message(413, tooLarge.getMessage());
        }
        if (failure instanceof TraceOffsetMismatchException offset) {
            // error!('416 Range Not Satisfiable', 416, { 'Range' => "0-#{stream_size}" }): the runner resends from there.
            return new Mapped(416, Map.of("error", "416 Range Not Satisfiable"),
                    Map.of("Range", "0-" + offset.currentLength()));
        }
        if (failure instanceof RangeNotSatisfiableException range) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Range", "bytes */" + range.currentLength());
            return new Mapped(416, Map.of("error", "416 Range Not Satisfiable"), headers);
        }
        if (failure instanceof UnavailableException unavailable) {
            LOG.warn("backing service unavailable: {}", unavailable.getMessage(), unavailable);
            return message(503, "503 Service Unavailable");
        }
        LOG.error("unhandled failure while serving a request", failure);
        return message(500, "500 Internal Server Error");
    }

    /**
     * GitLab's guard answers an expired or revoked token with an OAuth2 body and challenge (the authentication use
     * case reports those two with GitLab's exact descriptions); every other 401 is the helper's message.
     */
    private static Mapped unauthorized(String description) {
        if (!TOKEN_EXPIRED.equals(description) && !TOKEN_REVOKED.equals(description)) {
            return message(401, "401 Unauthorized");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "invalid_token");
        body.put("error_description", description);
        return new Mapped(401, body, Map.of("WWW-Authenticate",
                "Bearer realm=\"\", error=\"invalid_token\", error_description=\"" + description + "\""));
    }

    private static Mapped message(int status, String text) {
        return new Mapped(status, Map.of("message", text), Map.of());
    }
}
