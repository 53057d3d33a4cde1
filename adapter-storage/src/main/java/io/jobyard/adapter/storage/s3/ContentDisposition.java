package io.jobyard.adapter.storage.s3;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment} for a presigned download, so the browser saves the file under its artifact
 * name (GitLab's direct downloads do the same). A plain ASCII {@code filename} for old clients plus the RFC 6266 /
 * RFC 8187 {@code filename*} for everything else.
 */
final class ContentDisposition {
    private ContentDisposition() {
    }

    static String attachment(String filename) {
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                ascii.append('_');
            } else {
                if (c == '"' || c == '\\') {
                    ascii.append('\\');
                }
                ascii.append(c);
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncode(filename);
    }

    private static String percentEncode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean attrChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0;
            if (attrChar) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
