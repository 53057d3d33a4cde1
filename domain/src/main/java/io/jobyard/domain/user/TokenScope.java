package io.jobyard.domain.user;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Personal access token scopes Jobyard honours: {@code api} may do everything, {@code read_api} only read. GitLab's two
 * narrow scopes are kept too, because its token API hands them out: {@code k8s_proxy} (the only scope a user may give a
 * token they create for themself, {@code POST /user/personal_access_tokens}) reaches no API route but the token's own
 * {@code /personal_access_tokens/self}, and {@code self_rotate} may in addition rotate itself.
 */
public enum TokenScope {
    API, READ_API, K8S_PROXY, SELF_ROTATE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TokenScope> fromWireName(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }
}
