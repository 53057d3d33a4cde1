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
 * job token). Blank values count as absent, as Rails' {@code present?} does.
 */
public record Credentials(String privateToken, String bearer, String jobToken) {

    public static final Credentials NONE = new Credentials(null, null, null);

    public static Credentials from(HeaderMap headers, Params params) {
        String privateToken = firstPresent(headers.getFirst("PRIVATE-TOKEN"), text(params, "private_token"));
        String bearer = bearer(headers.getFirst("Authorization"));
        String jobToken = firstPresent(headers.getFirst("JOB-TOKEN"),
                firstPresent(text(params, "job_token"), text(params, "token")));
        return new Credentials(privateToken, bearer, jobToken);
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
                + ", jobToken=" + (jobToken != null) + "]";
    }
}
