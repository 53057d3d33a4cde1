package io.jobyard.adapter.http.auth;

import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.undertow.util.HeaderMap;

import java.util.Locale;
import java.util.Optional;

/**
 * The credentials a request presents, from every place GitLab reads them: {@code PRIVATE-TOKEN} header or
 * {@code private_token} parameter (personal access token), {@code Authorization: Bearer} (access token, or a job
 * token where job tokens are allowed), {@code JOB-TOKEN} header or {@code job_token} / {@code token} parameters (CI
 * job token). Blank values count as absent, as Rails' {@code present?} does. Besides, the web session's cookie
 * ({@value #SESSION_COOKIE}) and the CSRF token that goes with it ({@code X-CSRF-Token} header, as GitLab's own
 * JavaScript sends it, or the {@value #CSRF_PARAM} form field, as Rails' forms do).
 */
public record Credentials(String privateToken, String bearer, String jobToken, String session, String csrfToken) {

    /** The web session's cookie. */
    public static final String SESSION_COOKIE = "_jobyard_session";
    /** Rails' name for a form's CSRF token. */
    public static final String CSRF_PARAM = "authenticity_token";

    public static final Credentials NONE = new Credentials(null, null, null, null, null);

    public Credentials(String privateToken, String bearer, String jobToken) {
        this(privateToken, bearer, jobToken, null, null);
    }

    public static Credentials from(HeaderMap headers, Params params) {
        String privateToken = firstPresent(headers.getFirst("PRIVATE-TOKEN"), text(params, "private_token"));
        String bearer = bearer(headers.getFirst("Authorization"));
        String jobToken = firstPresent(headers.getFirst("JOB-TOKEN"),
                firstPresent(text(params, "job_token"), text(params, "token")));
        String csrf = firstPresent(headers.getFirst("X-CSRF-Token"), text(params, CSRF_PARAM));
        return new Credentials(privateToken, bearer, jobToken, cookie(headers, SESSION_COOKIE), csrf);
    }

    /** A cookie's value from one {@code Cookie} header's text, or null. */
    public static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                return blankToNull(pair.substring(eq + 1).trim());
            }
        }
        return null;
    }

    /** A cookie's value from the {@code Cookie} headers (RFC 6265 §5.4: {@code name=value} pairs split by {@code ;}). */
    public static String cookie(HeaderMap headers, String name) {
        for (String header : headers.get("Cookie") == null ? java.util.List.<String>of() : headers.get("Cookie")) {
            String value = cookie(header, name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    public boolean any() {
        return privateToken != null || bearer != null || jobToken != null;
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return blankToNull(value.substring(7).trim());
        }
        return null;
    }

    /** A token parameter given as text; any other shape is not a credential. */
    private static String text(Params params, String name) {
        Optional<ParamValue> value = params.get(name);
        if (value.isPresent() && value.get() instanceof ParamValue.Text text) {
            return blankToNull(text.value());
        }
        return null;
    }

    private static String firstPresent(String first, String second) {
        String value = blankToNull(first);
        return value != null ? value : blankToNull(second);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        return "Credentials[privateToken=" + (privateToken != null) + ", bearer=" + (bearer != null)
                + ", jobToken=" + (jobToken != null) + ", session=" + (session != null) + "]";
    }
}
