package io.jobyard.adapter.http.runner;

import io.jobyard.adapter.http.JobsApi;
import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.reply.ApiError;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase;
import io.jobyard.application.port.in.runner.UploadArtifactUseCase.UploadArtifactCommand;
import io.jobyard.domain.artifact.ArtifactAccessibility;
import io.jobyard.domain.artifact.ArtifactFileType;
import io.jobyard.domain.artifact.ArtifactFormat;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.error.PayloadTooLargeException;
import io.jobyard.domain.job.JobId;
import io.jobyard.adapter.http.params.MultipartForm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code POST /jobs/:id/artifacts} (contract §5.4): a multipart upload with the {@code file} part and the fields
 * {@code artifact_type}, {@code artifact_format}, {@code expire_in}, {@code accessibility}. The file part is spooled
 * to a temporary file as it arrives (never to memory, {@link MultipartForm}); it is streamed from there into the
 * artifact store and deleted when the request ends. GitLab's optional {@code metadata} part is not read (nor spooled):
 * Jobyard indexes the archive itself.
 *
 * <p>Before a byte of the body is read the upload is authorized as Workhorse has GitLab do it
 * ({@code /artifacts/authorize}, asked with the request's headers and query only): the job token from
 * {@code JOB-TOKEN} or {@code ?token=} (a {@code token} only inside the multipart body is never seen there, so it is
 * refused like a wrong one, 403), the job's state, and the announced size ({@code ?filesize=}, and the
 * {@code Content-Length} against the limit plus room for the fields: 413). gitlab-runner sends its token in
 * {@code JOB-TOKEN}.
 */
public final class ArtifactUploadEndpoint implements Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactUploadEndpoint.class);
    /** The upload use case's words for an artifact over the limit. */
    static final String TOO_LARGE = "file size has reached maximum size limit";
    private final UploadArtifactUseCase upload;
    /**
     * Room for the other parts (token, type, format, expiry, a skipped metadata part...) on top of the file part; the
     * fields' values together get {@link #FIELD_BYTES} of it.
     */
    private static final long FIELDS_ALLOWANCE = 1L << 20;
    private static final int FIELD_BYTES = 64 * 1024;
    private final Path spoolDirectory;
    private final MultipartForm.Limits limits;
    private final long maxEntityBytes;

    public ArtifactUploadEndpoint(UploadArtifactUseCase upload, JobsApi.Uploads uploads) {
        this.upload = Objects.requireNonNull(upload, "upload");
        this.maxEntityBytes = uploads.maxFileBytes() > Long.MAX_VALUE - FIELDS_ALLOWANCE
                ? Long.MAX_VALUE : uploads.maxFileBytes() + FIELDS_ALLOWANCE;
        this.spoolDirectory = uploads.tempDirectory();
        this.limits = new MultipartForm.Limits("file", uploads.maxFileBytes(), FIELD_BYTES);
    }

    @Override
    public boolean streamsBody() {
        return true;
    }

    @Override
    public Reply handle(ApiRequest request) throws IOException {
        JobId job = RunnerParams.jobId(request);
        Params query = request.params();
        String token = RunnerParams.jobToken(request);
        // An absent token matches no job: the use case answers it with the plain 403, as GitLab does.
        String jobToken = token == null ? "" : token;
        upload.authorize(job, jobToken, announcedFileSize(query));
        if (request.incoming().declaredLength() > maxEntityBytes) {
            throw new PayloadTooLargeException(TOO_LARGE);
        }
        String boundary = boundary(request).orElseThrow(() -> Params.missing("file"));
        try (MultipartForm form = parse(request, boundary)) {
            Function<String, Optional<String>> param = name -> form.field(name).or(() -> query.text(name));
            MultipartForm.FilePart file = form.file().orElseThrow(() -> Params.missing("file"));
            ArtifactFileType type = param.apply("artifact_type").filter(t -> !t.isEmpty())
                    .map(t -> ArtifactFileType.fromWireName(t).orElseThrow(() -> notValid("artifact_type")))
                    .orElse(null);
            ArtifactFormat format = param.apply("artifact_format").filter(t -> !t.isEmpty())
                    .map(t -> ArtifactFormat.fromWireName(t).orElseThrow(() -> notValid("artifact_format")))
                    .orElse(null);
            ArtifactAccessibility accessibility = param.apply("accessibility").filter(t -> !t.isEmpty())
                    .map(t -> ArtifactAccessibility.parse(t).orElseThrow(() -> notValid("accessibility")))
                    .orElse(null);
            try (InputStream content = file.open()) {
                upload.upload(new UploadArtifactCommand(job, jobToken, type, format,
                        param.apply("expire_in").filter(t -> !t.isEmpty()).orElse(null), accessibility,
                        file.fileName(), content, file.size()));
            }
        }
        // GitLab answers with the status code itself as the (JSON) body.
        return new Reply.Json(201, 201, Map.of());
    }

    /** GitLab's optional {@code filesize} of {@code /artifacts/authorize}; Grape's message when not a number. */
    private static long announcedFileSize(Params query) {
        Optional<String> text = query.text("filesize").filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return UploadArtifactCommand.UNKNOWN_SIZE;
        }
        BigInteger size = Params.parseInteger(text.get()).filter(v -> v.signum() >= 0)
                .orElseThrow(() -> Params.invalid("filesize"));
        return size.bitLength() > 63 ? Long.MAX_VALUE : size.longValue();
    }

    /** The form's boundary; none when the body is not {@code multipart/form-data} (then there is no file). */
    private static Optional<String> boundary(ApiRequest request) {
        try {
            return MultipartForm.boundary(request.header("Content-Type"));
        } catch (MultipartForm.Malformed malformed) {
            LOG.debug("unreadable multipart Content-Type", malformed);
            throw unreadable();
        }
    }

    /** A body that is not the multipart it claims to be is the client's fault, not a server failure. */
    private MultipartForm parse(ApiRequest request, String boundary) {
        try {
            return MultipartForm.read(request.incoming().body(maxEntityBytes), boundary, spoolDirectory, limits);
        } catch (MultipartForm.TooLarge tooLarge) {
            throw tooLarge.file() ? new PayloadTooLargeException(TOO_LARGE)
                    : ApiError.message(413, "413 Request Entity Too Large");
        } catch (IOException | RuntimeException malformed) {
            // Also a body cut short, over the entity limit or too slow: the request's body is unusable either way.
            LOG.debug("unreadable multipart upload", malformed);
            throw unreadable();
        }
    }

    private static RuntimeException unreadable() {
        return ApiError.message(400, "400 Bad request - Unreadable multipart body");
    }

    private static InvalidParameterException notValid(String name) {
        return new InvalidParameterException(name + " does not have a valid value");
    }
}
