package io.jobyard.domain.project;

import io.jobyard.domain.text.TextLimit;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The git repository a project's jobs build, as a runner clones it: an absolute {@code http}, {@code https},
 * {@code git}, {@code ssh} or {@code file} URL. Jobyard keeps no repositories and stores no credentials for them, so a
 * URL carrying a password ({@code https://user:secret@host/...}) is refused: it would be handed to every runner and
 * shown in every job's {@code CI_REPOSITORY_URL}. A user name alone ({@code ssh://git@host/repo.git}) is no secret.
 *
 * @param value the URL as given
 */
public record RepositoryUrl(String value) {
    private static final Set<String> SCHEMES = Set.of("http", "https", "git", "ssh", "file");
    private static final int MAX_LENGTH = TextLimit.REPOSITORY_URL.maxLength();

    public RepositoryUrl {
        Objects.requireNonNull(value, "value");
        TextLimit.REPOSITORY_URL.require(value);
        if (!isValid(value)) {
            throw new IllegalArgumentException("repository URL must be an absolute http, https, git, ssh or file URL "
                    + "of at most " + MAX_LENGTH + " characters, without a password");
        }
    }

    /** Whether {@code value} may name a repository (see the class comment). */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || value.chars().anyMatch(c -> c <= ' ')) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme();
        if (scheme == null || !SCHEMES.contains(scheme.toLowerCase(Locale.ROOT)) || uri.isOpaque()) {
            return false;
        }
        if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
            return false;
        }
        boolean local = "file".equalsIgnoreCase(scheme);
        return local ? uri.getRawPath() != null && !uri.getRawPath().isEmpty() : uri.getHost() != null;
    }

    @Override
    public String toString() {
        return value;
    }
}
