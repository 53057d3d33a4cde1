package io.jobyard.domain.user;

import io.jobyard.domain.text.TextLimit;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/** A person or bot that acts on jobs. {@code admin} users have every ability on every project. */
public record User(
        UserId id,
        String username,
        String name,
        String email,
        boolean admin,
        boolean bot,
        UserState state,
        Instant createdAt) {
    /** Compiled once: this check runs for every row read and every request. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");


    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        TextLimit.USERNAME.require(username);
        TextLimit.USER_NAME.require(name);
        TextLimit.EMAIL.require(email);
        if (!USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("username can contain only letters, digits, '_', '-' and '.': " + username);
        }
    }

    public boolean active() {
        return state == UserState.ACTIVE;
    }

    public User withState(UserState newState) {
        return new User(id, username, name, email, admin, bot, newState, createdAt);
    }
}
