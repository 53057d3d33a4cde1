package io.jobyard.application.service.artifact;

import java.time.Duration;
import java.util.Objects;

/**
 * How whole-archive downloads are served.
 *
 * @param redirectDownloads answer with a short-lived presigned URL when the store offers one (object storage), as
 *                          GitLab's direct download does; off by default so every byte goes through Jobyard
 * @param redirectValidity  how long such a URL works
 */
public record DownloadSettings(boolean redirectDownloads, Duration redirectValidity) {
    public static final DownloadSettings STREAM = new DownloadSettings(false, Duration.ofMinutes(5));

    public DownloadSettings {
        Objects.requireNonNull(redirectValidity, "redirectValidity");
        if (redirectValidity.isNegative() || redirectValidity.isZero()) {
            throw new IllegalArgumentException("redirect validity must be positive");
        }
    }

    public static DownloadSettings redirecting(Duration validity) {
        return new DownloadSettings(true, validity);
    }
}
