package io.jobyard.adapter.http.web;

import io.jobyard.adapter.http.auth.Credentials;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.session.SignInUseCase;
import io.jobyard.domain.error.UnauthorizedException;

import java.util.Map;
import java.util.Objects;

/**
 * {@code GET/POST /users/sign_in} (username and password, or a personal access token) and
 * {@code POST /users/sign_out}. The session lives in the database; the browser holds only its id, in an
 * {@code HttpOnly}, {@code SameSite=Lax} cookie ({@code Secure} when the external URL is https) that ends with the
 * browser session, while the server ends the session itself after its idle or absolute timeout.
 */
public final class SignInEndpoints {
    private final Pages pages;
    private final SignInUseCase signIn;

    public SignInEndpoints(Pages pages, SignInUseCase signIn) {
        this.pages = Objects.requireNonNull(pages, "pages");
        this.signIn = Objects.requireNonNull(signIn, "signIn");
    }

    public Endpoint form() {
        return request -> {
            if (request.credentials().session() != null && pages.frame(request, "").signedIn()) {
                return pages.redirect(redirectTo(request));
            }
            return pages.page("signin.jte", new SignInPageModel(pages.frame(request, "Sign in"), null, "",
                    redirectTo(request)));
        };
    }

    public Endpoint submit() {
        return request -> {
            String login = request.params().text("login").orElse("").trim();
            String password = request.params().text("password").orElse("");
            String token = request.params().text("personal_access_token").orElse("").trim();
            SignInUseCase.SignedIn signedIn;
            try {
                signedIn = token.isEmpty() ? signIn.withPassword(login, password) : signIn.withAccessToken(token);
            } catch (UnauthorizedException refused) {
                // Devise's answers: one message for every wrong login, so nobody learns which usernames exist.
                String message = !token.isEmpty() ? "Invalid personal access token."
                        : SignInUseCase.BLOCKED.equals(refused.getMessage()) ? SignInUseCase.BLOCKED
                        : SignInUseCase.INVALID_LOGIN;
                return pages.page(401, "signin.jte", new SignInPageModel(pages.anonymousFrame("Sign in"), message,
                        login, redirectTo(request)));
            }
            if (request.credentials().session() != null) {
                signIn.signOut(request.credentials().session());
            }
            return pages.redirect(redirectTo(request), Map.of("Set-Cookie", cookie(signedIn.sessionId(), false)));
        };
    }

    public Endpoint signOut() {
        return request -> {
            if (request.credentials().session() != null) {
                signIn.signOut(request.credentials().session());
            }
            return pages.redirect("/", Map.of("Set-Cookie", cookie("", true)));
        };
    }

    private String cookie(String value, boolean expire) {
        return Credentials.SESSION_COOKIE + "=" + value + "; Path=" + pages.cookiePath() + "; HttpOnly; SameSite=Lax"
                + (pages.secure() ? "; Secure" : "") + (expire ? "; Max-Age=0" : "");
    }

    /** Where to go after signing in: a path on this site, never another site ({@code //evil}, {@code /\evil}). */
    static String redirectTo(ApiRequest request) {
        String wanted = request.params().text("redirect_to").orElse("/");
        boolean local = wanted.startsWith("/") && !wanted.startsWith("//") && !wanted.startsWith("/\\")
                && wanted.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
        return local ? wanted : "/";
    }
}
