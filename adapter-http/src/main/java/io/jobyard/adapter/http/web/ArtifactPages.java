package io.jobyard.adapter.http.web;

import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.artifact.ArtifactsUseCase;
import io.jobyard.application.port.in.Download;
import io.jobyard.application.port.in.job.GetJobUseCase;
import io.jobyard.application.port.in.job.JobView;
import io.jobyard.application.port.in.ProjectRef;
import io.jobyard.application.stream.ContentDisposition;
import io.jobyard.domain.artifact.ArchiveEntry;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.job.JobId;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The artifacts browser ({@code /:project/-/jobs/:id/artifacts/browse/*path}), from the archive's entry index written
 * at upload (the archive itself is not opened), with a download link for each file
 * ({@code .../artifacts/raw/*path}, always an attachment: an HTML file from an archive never runs on this origin) and
 * for the whole archive ({@code .../artifacts/download}).
 */
public final class ArtifactPages {
    /** Entries read from the index per query. */
    static final int BATCH = 1000;
    /** The most entries one listing reads; an archive with more is listed up to here and says so. */
    static final int SCAN_LIMIT = 50_000;

    private final Pages pages;
    private final GetJobUseCase jobs;
    private final ArtifactsUseCase artifacts;

    public ArtifactPages(Pages pages, GetJobUseCase jobs, ArtifactsUseCase artifacts) {
        this.pages = Objects.requireNonNull(pages, "pages");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    }

    /** One row of a listing: a subdirectory or a file of the directory shown. */
    public record Row(String name, boolean directory, long size, String url) {
    }

    /**
     * @param directory  the directory shown ({@code ""} for the archive's root, else ending in {@code /})
     * @param parentUrl  the directory above, or null at the root
     * @param truncated  the archive has more entries than one listing reads
     */
    public record BrowseModel(PageFrame frame, JobView view, String directory, List<Row> rows, String parentUrl,
                              boolean truncated) {
        public String jobUrl() {
            return "/" + view.project().fullPath() + "/-/jobs/" + view.job().id().value();
        }
    }

    public Endpoint browse(boolean root) {
        return request -> {
            ProjectRef project = Pages.project(request);
            JobId id = Pages.jobId(request, "id");
            JobView view = jobs.get(request.actor(), project, id);
            String directory = root ? "" : request.path("path");
            if (!directory.isEmpty() && !directory.endsWith("/")) {
                directory = directory + "/";
            }
            String jobUrl = "/" + view.project().fullPath() + "/-/jobs/" + id.value();
            TreeMap<String, Row> children = new TreeMap<>();
            boolean truncated = false;
            boolean exists = directory.isEmpty();
            String after = null;
            int scanned = 0;
            while (true) {
                List<ArchiveEntry> batch = artifacts.entries(request.actor(), project, id, after, BATCH);
                for (ArchiveEntry entry : batch) {
                    String path = entry.path();
                    if (!path.startsWith(directory) || path.equals(directory)) {
                        exists |= path.equals(directory);
                        continue;
                    }
                    exists = true;
                    String rest = path.substring(directory.length());
                    int slash = rest.indexOf('/');
                    if (slash >= 0 && slash < rest.length() - 1 || slash >= 0 && entry.directory()) {
                        String name = rest.substring(0, slash);
                        children.putIfAbsent("d" + name, new Row(name, true, 0,
                                jobUrl + "/artifacts/browse/" + encode(directory + name)));
                    } else if (!entry.directory()) {
                        children.put("f" + rest, new Row(rest, false, entry.uncompressedSize(),
                                jobUrl + "/artifacts/raw/" + encode(path)));
                    }
                }
                scanned += batch.size();
                if (batch.size() < BATCH) {
                    break;
                }
                if (scanned >= SCAN_LIMIT) {
                    truncated = true;
                    break;
                }
                after = batch.get(batch.size() - 1).path();
            }
            if (!exists) {
                throw NotFoundException.plain("Directory");
            }
            List<Row> rows = new ArrayList<>(children.values());
            String parent = directory.isEmpty() ? null : parentOf(jobUrl, directory);
            return pages.page("artifacts.jte", new BrowseModel(pages.frame(request, "Artifacts · " + view.job().name()),
                    view, directory, rows, parent, truncated));
        };
    }

    /** One file of the archive, as the API's download by job id serves it (type by extension, an attachment). */
    public Endpoint raw() {
        return request -> {
            Download file = artifacts.file(request.actor(), Pages.project(request), Pages.jobId(request, "id"),
                    request.path("path"));
            return new Reply.Stream(file, Reply.DownloadStyle.FILE_BY_EXTENSION,
                    ContentDisposition.workhorseAttachment(file.filename()));
        };
    }

    private static String parentOf(String jobUrl, String directory) {
        String trimmed = directory.substring(0, directory.length() - 1);
        int slash = trimmed.lastIndexOf('/');
        return slash < 0 ? jobUrl + "/artifacts/browse" : jobUrl + "/artifacts/browse/" + encode(trimmed.substring(0, slash));
    }

    /** A path for a URL: each segment percent-encoded, the slashes kept. */
    static String encode(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}
