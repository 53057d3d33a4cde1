package io.jobyard.adapter.http.web;

import io.jobyard.adapter.http.reply.ErrorMapper;
import io.jobyard.adapter.http.reply.Reply;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A page's refusal or failure, answered as a page with the status and message the API would give
 * ({@link ErrorMapper} decides both, in one place), instead of the API's JSON. A visitor who must sign in first is
 * sent to the sign-in page, and brought back after it.
 */
public final class WebErrors {
    private final Pages pages;

    public WebErrors(Pages pages) {
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    /** @param here the page's path under the mount point, query included */
    public Reply answer(ErrorMapper.Mapped mapped, String here) {
        if (mapped.status() == 401) {
            return pages.redirect("/users/sign_in?redirect_to=" + URLEncoder.encode(here, StandardCharsets.UTF_8));
        }
        Object message = mapped.body().getOrDefault("message", mapped.body().get("error"));
        String text = message == null ? Integer.toString(mapped.status()) : String.valueOf(message);
        return pages.page(mapped.status(), "error.jte",
                new ErrorPageModel(pages.anonymousFrame(text), mapped.status(), text));
    }
}
