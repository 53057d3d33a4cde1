package io.jobyard.adapter.http.web;

/** An error answered as a page: the status and GitLab's message for it. */
public record ErrorPageModel(PageFrame frame, int status, String message) {
}
