package io.jobyard.adapter.http.web;

import io.jobyard.adapter.http.auth.Credentials;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.session.SignInUseCase;
import io.jobyard.domain.access.Actor;
import io.jobyard.domain.error.UnauthorizedException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET/POST /users/sign_in} (username and password, or a personal access token) and
 * {@code POST /users/sign_out}. The session lives in the database; the browser holds only its id, in an
 * {@code HttpOnly}, {@code SameSite=Lax} cookie ({@code Secure} when the external URL is https) that ends with the
 * browser session, while the server ends the session itself after its idle or absolute timeout.
 *
 * <p>The sign-in form itself is protected from cross-site posting (login CSRF: a foreign page signing the visitor in as
 * someone else) before any session exists, by a double-submit token: a random value in an {@code HttpOnly},
 * {@code SameSite=Lax} cookie scoped to {@code /users} and the same value in the form; a post whose two differ is
 * refused.
 */
public final class SignInEndpoints {
    /** The sign-in form's double-submit cookie. */
    public static final String FORM_COOKIE = "_jobyard_sign_in";
    private static final SecureRandom RANDOM = new SecureRandom();
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
            return form(200, pages.frame(request, "Sign in"), null, "", redirectTo(request));
        };
    }

    /** The form with a fresh double-submit token, in the page and in its cookie. */
    private Reply form(int status, PageFrame frame, String error, String login, String redirectTo) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Reply page = pages.page(status, "signin.jte", new SignInPageModel(frame, error, login, redirectTo, token));
        Reply.Bytes bytes = (Reply.Bytes) page;
        Map<String, String> headers = new LinkedHashMap<>(bytes.headers());
        headers.put("Set-Cookie", FORM_COOKIE + "=" + token + "; Path=" + pages.url("/users")
                + "; HttpOnly; SameSite=Lax" + (pages.secure() ? "; Secure" : ""));
        return new Reply.Bytes(bytes.status(), bytes.contentType(), bytes.body(), headers);
    }

    /** Whether the post came from this site's form: its token equals the form cookie's (compared in constant time). */
    private static boolean fromOurForm(ApiRequest request) {
        String cookie = Credentials.cookie(request.header("Cookie"), FORM_COOKIE);
        String sent = request.params().text(Credentials.CSRF_PARAM).orElse(null);
        return cookie != null && sent != null && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8));
    }

    public Endpoint submit() {
        return request -> {
            String login = request.params().text("login").orElse("").trim();
            String password = request.params().text("password").orElse("");
            String token = request.params().text("personal_access_token").orElse("").trim();
            if (request.actor() instanceof Actor.Anonymous && !fromOurForm(request)) {
                return form(403, pages.anonymousFrame("Sign in"), "The sign-in form had expired or did not come from "
                        + "this site. Please sign in again.", login, redirectTo(request));
            }
            SignInUseCase.SignedIn signedIn;
            try {
                signedIn = token.isEmpty() ? signIn.withPassword(login, password) : signIn.withAccessToken(token);
            } catch (UnauthorizedException refused) {
                // Devise's answers: one message for every wrong login, so nobody learns which usernames exist.
                String message = !token.isEmpty() ? "Invalid personal access token."
                        : SignInUseCase.BLOCKED.equals(refused.getMessage()) ? SignInUseCase.BLOCKED
                        : SignInUseCase.INVALID_LOGIN;
                return form(401, pages.anonymousFrame("Sign in"), message, login, redirectTo(request));
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
