package io.jobyard.domain.session;

/** How a web session was signed in. */
public enum SignInMethod {
    /** Username and password: the session has the user's full rights. */
    PASSWORD,
    /** A personal access token: the session has the token's scopes and ends when the token stops working. */
    ACCESS_TOKEN
}
