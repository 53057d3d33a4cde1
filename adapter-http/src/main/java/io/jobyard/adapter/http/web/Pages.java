package io.jobyard.adapter.http.web;

import io.jobyard.adapter.http.HttpSettings;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.port.in.session.WebSessionUseCase;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.JobId;
import io.jobyard.domain.pipeline.PipelineId;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What every page endpoint shares: the templates, the frame of a page (who is signed in, the CSRF token of its forms),
 * and the headers every page is sent with: a strict Content-Security-Policy (scripts and styles only from Jobyard's
 * own static files: no inline script, no {@code eval}, no inline style), no caching of pages that carry a CSRF token,
 * and no referrer beyond this origin.
 */
public final class Pages {
    /** No inline script, no eval, nothing from another origin; forms post only here; no framing elsewhere. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";
    public static final String HTML = "text/html; charset=utf-8";
    private static final Pattern DIGITS = Pattern.compile("[1-9][0-9]{0,17}");

    private final Templates templates;
    private final WebSessionUseCase sessions;
    private final HttpSettings settings;

    public Pages(Templates templates, WebSessionUseCase sessions, HttpSettings settings) {
        this.templates = Objects.requireNonNull(templates, "templates");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The frame of a page: the signed-in user (a web session's) and a fresh CSRF token for its forms. */
    public PageFrame frame(ApiRequest request, String title) {
        String session = request.credentials().session();
        String username = request.actor() instanceof Actor.UserActor user && session != null
                ? user.identity().username() : null;
        return new PageFrame(title, settings.basePath(), username,
                username == null ? null : sessions.csrfToken(session), here(request));
    }

    /** A frame for a visitor nobody is known about (error pages). */
    public PageFrame anonymousFrame(String title) {
        return new PageFrame(title, settings.basePath(), null, null, "");
    }

    /** The request's path under the mount point, query left out. */
    public String here(ApiRequest request) {
        String path = request.selfUrl().substring(settings.origin().length());
        return path.startsWith(settings.basePath()) ? path.substring(settings.basePath().length()) : path;
    }

    public Reply page(int status, String template, Object model) {
        return new Reply.Bytes(status, HTML, templates.render(template, model), pageHeaders());
    }

    public Reply page(String template, Object model) {
        return page(200, template, model);
    }

    /** {@code 303 See Other} to a path under the mount point: the answer to a form's POST. */
    public Reply redirect(String path) {
        return redirect(path, Map.of());
    }

    public Reply redirect(String path, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Location", settings.basePath() + path);
        headers.put("Cache-Control", "no-store");
        return new Reply.Empty(303, headers);
    }

    /** The headers every page has. */
    public static Map<String, String> pageHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("Cache-Control", "no-store");
        headers.put("Referrer-Policy", "same-origin");
        return headers;
    }

    /** Whether cookies must be {@code Secure}: the external URL is https. */
    public boolean secure() {
        return settings.origin().startsWith("https:");
    }

    /** An absolute path under where Jobyard is mounted. */
    public String url(String path) {
        return settings.basePath() + path;
    }

    public String cookiePath() {
        return settings.basePath().isEmpty() ? "/" : settings.basePath();
    }

    public Templates templates() {
        return templates;
    }

    /** The project a page's path names ({@code acme/tools/app}). */
    public static ProjectRef project(ApiRequest request) {
        return new ProjectRef.ByPath(request.path("project"));
    }

    /** A job id in a page's path; anything but a positive number is a page that does not exist. */
    public static JobId jobId(ApiRequest request, String name) {
        return JobId.of(number(request.path(name), "Job"));
    }

    public static PipelineId pipelineId(ApiRequest request, String name) {
        return PipelineId.of(number(request.path(name), "Pipeline"));
    }

    private static long number(String text, String what) {
        if (!DIGITS.matcher(text).matches()) {
            throw NotFoundException.resource(what);
        }
        return Long.parseLong(text);
    }
}
