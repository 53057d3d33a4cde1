package io.jobyard.adapter.http.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.jobyard.application.port.in.admin.AccessTokensUseCase.IssuedToken;

import java.time.Instant;

/**
 * GitLab's {@code PersonalAccessTokenWithToken}: the stored token ({@link PersonalAccessTokenJson}) and, this once,
 * its secret — what creating and rotating a token answer.
 */
record PersonalAccessTokenWithTokenJson(
        @JsonUnwrapped PersonalAccessTokenJson stored,
        @JsonProperty("token") String token) {

    @Override
    public String toString() {
        return "PersonalAccessTokenWithTokenJson[" + stored.id() + "]";
    }

    static PersonalAccessTokenWithTokenJson from(IssuedToken issued, Instant now) {
        return new PersonalAccessTokenWithTokenJson(PersonalAccessTokenJson.from(issued.token(), now), issued.secret());
    }
}
