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
import io.undertow.server.handlers.form.FormData;
import io.undertow.server.handlers.form.FormDataParser;
import io.undertow.server.handlers.form.FormParserFactory;
import io.undertow.server.handlers.form.MultiPartParserDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code POST /jobs/:id/artifacts} (contract §5.4): a multipart upload with the {@code file} part and the fields
 * {@code artifact_type}, {@code artifact_format}, {@code expire_in}, {@code accessibility}. Undertow spools the file
 * part to a temporary file (never to memory); it is streamed from there into the artifact store and deleted when the
 * request ends. GitLab's optional {@code metadata} part is not read: Jobyard indexes the archive itself.
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
    /** Room for the non-file fields (token, type, format, expiry...) on top of the file part. */
    private static final long FIELDS_ALLOWANCE = 1L << 20;
    private final FormParserFactory parsers;
    private final long maxEntityBytes;

    public ArtifactUploadEndpoint(UploadArtifactUseCase upload, JobsApi.Uploads uploads) {
        this.upload = Objects.requireNonNull(upload, "upload");
        this.maxEntityBytes = uploads.maxFileBytes() > Long.MAX_VALUE - FIELDS_ALLOWANCE
                ? Long.MAX_VALUE : uploads.maxFileBytes() + FIELDS_ALLOWANCE;
        // Threshold 0: every file part goes to disk, however small.
        MultiPartParserDefinition multipart = new MultiPartParserDefinition(uploads.tempDirectory());
        multipart.setMaxIndividualFileSize(uploads.maxFileBytes());
        multipart.setDefaultEncoding("UTF-8");
        multipart.setFileSizeThreshold(0);
        this.parsers = FormParserFactory.builder(false).addParser(multipart).build();
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
        FormDataParser parser = parser(request);
        if (parser == null) {
            throw Params.missing("file");
        }
        try {
            FormData form = parse(parser);
            Map<String, String> fields = new HashMap<>();
            for (String name : form) {
                FormData.FormValue value = form.getLast(name);
                if (value != null && !value.isFileItem()) {
                    fields.put(name, value.getValue());
                }
            }
            Function<String, Optional<String>> param = name -> Optional.ofNullable(fields.get(name))
                    .or(() -> query.text(name));
            FormData.FormValue file = form.getFirst("file");
            if (file == null || !file.isFileItem()) {
                throw Params.missing("file");
            }
            ArtifactFileType type = param.apply("artifact_type").filter(t -> !t.isEmpty())
                    .map(t -> ArtifactFileType.fromWireName(t).orElseThrow(() -> notValid("artifact_type")))
                    .orElse(null);
            ArtifactFormat format = param.apply("artifact_format").filter(t -> !t.isEmpty())
                    .map(t -> ArtifactFormat.fromWireName(t).orElseThrow(() -> notValid("artifact_format")))
                    .orElse(null);
            ArtifactAccessibility accessibility = param.apply("accessibility").filter(t -> !t.isEmpty())
                    .map(t -> ArtifactAccessibility.parse(t).orElseThrow(() -> notValid("accessibility")))
                    .orElse(null);
            FormData.FileItem item = file.getFileItem();
            try (InputStream content = item.getInputStream()) {
                upload.upload(new UploadArtifactCommand(job, jobToken, type, format,
                        param.apply("expire_in").filter(t -> !t.isEmpty()).orElse(null), accessibility,
                        file.getFileName(), content, item.getFileSize()));
            }
        } finally {
            // Deletes the spooled file parts.
            parser.close();
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

    /** Undertow reads the boundary here and throws on some malformed ones (an empty {@code boundary=}). */
    private FormDataParser parser(ApiRequest request) {
        try {
            // Undertow caps multipart bodies at 2 MiB unless told otherwise; the artifact limit is what applies here.
            return request.incoming().multipart(parsers, maxEntityBytes);
        } catch (RuntimeException malformed) {
            LOG.debug("unreadable multipart Content-Type", malformed);
            throw ApiError.message(400, "400 Bad request - Unreadable multipart body");
        }
    }

    /** A body that is not the multipart it claims to be is the client's fault, not a server failure. */
    private static FormData parse(FormDataParser parser) {
        try {
            return parser.parseBlocking();
        } catch (MultiPartParserDefinition.FileTooLargeException tooLarge) {
            throw new PayloadTooLargeException(TOO_LARGE);
        } catch (IOException | RuntimeException malformed) {
            LOG.debug("unreadable multipart upload", malformed);
            throw ApiError.message(400, "400 Bad request - Unreadable multipart body");
        }
    }

    private static InvalidParameterException notValid(String name) {
        return new InvalidParameterException(name + " does not have a valid value");
    }
}
