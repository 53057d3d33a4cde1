package io.jobyard.adapter.http.reply;

import java.util.Locale;
import java.util.Map;

/**
 * The one media-type table: what Workhorse answers for a single artifact file by job
 * ({@code GET /projects/:id/jobs/:job_id/artifacts/*artifact_path}). Workhorse's {@code artifacts-entry} sets
 * {@code Content-Type} to {@code mime.TypeByExtension(filepath.Ext(fileName))}, or {@code application/octet-stream}
 * when that is empty ({@code workhorse/internal/artifacts/entry.go}, {@code detectFileContentType}). Go's answer is
 * its built-in table (the first block below, which wins) plus the host's {@code /etc/mime.types}, whose text types Go
 * gives {@code charset=utf-8}; the rest is Debian's and Ubuntu's {@code media-types} list, which a GitLab host has —
 * so a shell script is {@code text/x-sh}, not octet-stream. {@code application/yaml} is IANA's (RFC 9512); a host
 * whose list predates it answers octet-stream for YAML. The by-ref route does not use this table: Workhorse sniffs
 * that file's first bytes ({@link ContentSniffer}).
 */
public final class MediaTypes {
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            // Go's builtinTypesLower
            Map.entry("avif", "image/avif"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("gif", "image/gif"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("png", "image/png"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("webp", "image/webp"),
            Map.entry("xml", "text/xml; charset=utf-8"),
            // media-types' /etc/mime.types
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("text", "text/plain; charset=utf-8"),
            Map.entry("asc", "application/pgp-keys"),
            Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("markdown", "text/markdown; charset=utf-8"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("bmp", "image/bmp"),
            Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/x-gtar-compressed"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("xz", "application/x-xz"),
            Map.entry("7z", "application/x-7z-compressed"),
            Map.entry("jar", "application/java-archive"),
            Map.entry("deb", "application/vnd.debian.binary-package"),
            Map.entry("rpm", "application/x-redhat-package-manager"),
            Map.entry("apk", "application/vnd.android.package-archive"),
            Map.entry("exe", "application/x-msdos-program"),
            Map.entry("wav", "audio/x-wav"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("yaml", "application/yaml"),
            Map.entry("yml", "application/yaml"),
            Map.entry("sh", "text/x-sh; charset=utf-8"),
            Map.entry("py", "text/x-python; charset=utf-8"),
            Map.entry("java", "text/x-java; charset=utf-8"),
            Map.entry("c", "text/x-csrc; charset=utf-8"),
            Map.entry("h", "text/x-chdr; charset=utf-8"),
            Map.entry("diff", "text/x-diff; charset=utf-8"),
            Map.entry("patch", "text/x-diff; charset=utf-8"),
            Map.entry("rtf", "application/rtf"),
            Map.entry("doc", "application/msword"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("iso", "application/x-iso9660-image"));

    private MediaTypes() {
    }

    public static String byFilename(String filename) {
        int slash = filename.lastIndexOf('/');
        String base = slash < 0 ? filename : filename.substring(slash + 1);
        int dot = base.lastIndexOf('.');
        if (dot < 0 || dot == base.length() - 1) {
            return OCTET_STREAM;
        }
        return BY_EXTENSION.getOrDefault(base.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
    }
}
