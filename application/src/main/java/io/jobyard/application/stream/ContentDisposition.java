package io.jobyard.application.stream;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * The one place that writes a download's {@code Content-Disposition}, in the three forms GitLab sends. The file name
 * rule is Rails' {@code ActionDispatch::Http::ContentDisposition} (RFC 6266): an ASCII fallback {@code filename="..."}
 * (accents transliterated, other non-ASCII as {@code ?}, then unsafe characters percent-escaped) and the exact name as
 * {@code filename*=UTF-8''<percent-encoded>} — on archives Jobyard streams, and on the presigned object-storage URLs
 * an {@link io.jobyard.application.port.out.ArtifactStore} hands out for them (GitLab's direct downloads ask object
 * storage for the same value). A single file out of an archive gets Workhorse's form instead, and the log GitLab's
 * literal {@code infile}.
 */
public final class ContentDisposition {
    private ContentDisposition() {
    }

    public static String attachment(String filename) {
        return "attachment; " + asciiFilename(filename) + "; " + utf8Filename(filename);
    }

    /**
     * What Workhorse sets on a single file served out of an artifacts archive ({@code internal/artifacts/entry.go}):
     * {@code attachment; filename="<basename>"} with only {@code \} and {@code "} escaped and no {@code filename*}.
     * Go writes the name's UTF-8 bytes as they are and turns CR and LF into spaces
     * ({@code net/http}'s {@code headerNewlineToSpace}); the value returned holds one char per byte, which is how
     * Undertow writes a header value.
     */
    public static String workhorseAttachment(String basename) {
        String escaped = basename.replace("\\", "\\\\").replace("\"", "\\\"").replace('\r', ' ').replace('\n', ' ');
        byte[] utf8 = ("attachment; filename=\"" + escaped + "\"").getBytes(StandardCharsets.UTF_8);
        return new String(utf8, StandardCharsets.ISO_8859_1);
    }

    /** The trace's literal GitLab form: {@code infile; filename="<job id>.log"}. */
    public static String traceFile(long jobId) {
        return "infile; filename=\"" + jobId + ".log\"";
    }

    static String asciiFilename(String filename) {
        return "filename=\"" + percentEscape(transliterate(filename), false) + "\"";
    }

    static String utf8Filename(String filename) {
        return "filename*=UTF-8''" + percentEscape(filename, true);
    }

    /** I18n.transliterate's effect on file names: accents dropped, anything else non-ASCII becomes {@code ?}. */
    static String transliterate(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int codePoint = decomposed.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.getType(codePoint) == Character.NON_SPACING_MARK) {
                continue;
            }
            out.append(codePoint < 128 ? (char) codePoint : '?');
        }
        return out.toString();
    }

    /**
     * Rails' two escapers: TRADITIONAL keeps {@code space A-Za-z0-9 ! # $ + . ^ _ ` | ~ -}; RFC 5987 keeps the same
     * without space and with {@code &}.
     */
    static String percentEscape(String text, boolean rfc5987) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "!#$+.^_`|~-".indexOf(c) >= 0
                    || (rfc5987 ? c == '&' : c == ' ');
            if (keep) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
