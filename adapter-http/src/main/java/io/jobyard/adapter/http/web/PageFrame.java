package io.jobyard.adapter.http.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What every page's layout needs: its title, where Jobyard is mounted (links are absolute paths under it), who is
 * signed in and the CSRF token the page's forms carry.
 *
 * @param basePath  the external URL's path ({@code ""} at the root)
 * @param username  the signed-in user, or null
 * @param csrfToken the token for this page's forms, or null when nobody is signed in
 * @param here      the page's own path (where sign-in comes back to)
 */
public record PageFrame(String title, String basePath, String username, String csrfToken, String here) {

    public boolean signedIn() {
        return username != null;
    }

    /** An absolute path under where Jobyard is mounted. */
    public String url(String path) {
        return basePath + path;
    }

    public String signInUrl() {
        return url("/users/sign_in") + (here == null || here.isEmpty() ? ""
                : "?redirect_to=" + URLEncoder.encode(here, StandardCharsets.UTF_8));
    }

    public PageFrame titled(String newTitle) {
        return new PageFrame(newTitle, basePath, username, csrfToken, here);
    }
}
