package io.jobyard.adapter.http.reply;

/**
 * Jobyard's response headers naming the job (and its pipeline) an answer was taken from, when the request named none:
 * the downloads of a ref's latest artifacts ({@code .../jobs/artifacts/:ref_name/download|raw/*?job=}) and the tree
 * listings. A client compares them with what it saw before to tell a fresh artifact from a stale one. GitLab sends
 * no such headers; clients that do not know them ignore them.
 */
public final class SourceHeaders {
    public static final String JOB = "X-Jobyard-Job-Id";
    public static final String PIPELINE = "X-Jobyard-Pipeline-Id";

    private SourceHeaders() {
    }
}
