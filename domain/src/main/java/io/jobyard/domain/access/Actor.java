package io.jobyard.domain.access;

import io.jobyard.domain.job.Job;
import io.jobyard.domain.user.TokenScope;
import io.jobyard.domain.user.User;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Who is asking: nobody, a user through a token, or a running job through its CI job token. */
public sealed interface Actor {

    /** The user whose rights apply, if any. */
    Optional<User> user();

    /** Whether the credentials allow writes at all ({@code read_api} tokens do not). */
    boolean canWrite();

    default boolean isAdmin() {
        return user().map(User::admin).orElse(false);
    }

    Actor ANONYMOUS = new Anonymous();

    /** No credentials. */
    record Anonymous() implements Actor {
        @Override
        public Optional<User> user() {
            return Optional.empty();
        }

        @Override
        public boolean canWrite() {
            return false;
        }
    }

    /**
     * A user authenticated by a personal access token (or a host's own authentication) with these scopes.
     *
     * @param tokenId the personal access token that authenticated the request, or null for a host's authentication
     */
    record UserActor(User identity, Set<TokenScope> scopes, Long tokenId) implements Actor {
        public UserActor {
            Objects.requireNonNull(identity, "identity");
            scopes = Set.copyOf(scopes);
        }

        /** A user the host authenticated by its own means. */
        public UserActor(User identity, Set<TokenScope> scopes) {
            this(identity, scopes, null);
        }

        public static UserActor withFullAccess(User user) {
            return new UserActor(user, Set.of(TokenScope.API));
        }

        @Override
        public Optional<User> user() {
            return Optional.of(identity);
        }

        @Override
        public boolean canWrite() {
            return scopes.contains(TokenScope.API);
        }
    }

    /**
     * A running (or canceling) job authenticated by its CI job token. It acts as the job's user, restricted to what
     * job tokens may do.
     */
    record JobTokenActor(User identity, Job job) implements Actor {
        public JobTokenActor {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(job, "job");
        }

        @Override
        public Optional<User> user() {
            return Optional.of(identity);
        }

        @Override
        public boolean canWrite() {
            return false;
        }
    }
}
