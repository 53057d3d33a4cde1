package io.jobyard.adapter.http.reply;

import java.util.Locale;
import java.util.Map;

/**
 * The media type Workhorse gives a single artifact file by its extension (Go's {@code mime.TypeByExtension}: Go's
 * built-in table plus the common entries of the system {@code mime.types}); text types get {@code charset=utf-8} as
 * Go appends it. Unknown extensions are {@code application/octet-stream}.
 */
public final class MediaTypes {
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
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
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("text", "text/plain; charset=utf-8"),
            Map.entry("asc", "text/plain; charset=utf-8"),
            Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("markdown", "text/markdown; charset=utf-8"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("bmp", "image/bmp"),
            Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/gzip"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("bz2", "application/x-bzip2"),
            Map.entry("xz", "application/x-xz"),
            Map.entry("7z", "application/x-7z-compressed"),
            Map.entry("jar", "application/java-archive"),
            Map.entry("war", "application/java-archive"),
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
