package io.jobyard.adapter.http.web;

/**
 * The sign-in form.
 *
 * @param error      why the last attempt failed, or null
 * @param login      the username typed last, kept
 * @param redirectTo where to go once signed in (a path on this site)
 * @param formToken  the form's double-submit token (also in the form cookie)
 */
public record SignInPageModel(PageFrame frame, String error, String login, String redirectTo, String formToken) {
}
