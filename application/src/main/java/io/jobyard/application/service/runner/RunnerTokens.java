package io.jobyard.application.service.runner;

import io.jobyard.application.port.out.RunnerRepository;
import io.jobyard.application.service.SecretTokens;
import io.jobyard.domain.error.ForbiddenException;
import io.jobyard.domain.runner.Runner;

/** Runner authentication tokens: looked up by digest, then compared in constant time. */
final class RunnerTokens {
    /** GitLab's prefix of runner authentication tokens. */
    static final String PREFIX = "glrt-";

    private RunnerTokens() {
    }

    /**
     * GitLab's {@code authenticate_runner!}: a paused runner still authenticates (it learns it is paused).
     *
     * @throws ForbiddenException "403 Forbidden" for a missing or unknown token (an unknown one as a guess)
     */
    static Runner authenticate(RunnerRepository runners, String token) {
        if (token == null || token.isEmpty()) {
            throw new ForbiddenException();
        }
        String digest = SecretTokens.digest(token);
        return runners.findByTokenDigest(digest)
                .filter(r -> SecretTokens.matches(token, r.tokenDigest()))
                .orElseThrow(() -> ForbiddenException.unknownCredential(digest));
    }
}
