package io.jobyard.adapter.http.reply;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The content type Workhorse gives a by-ref raw artifact file ({@code Gitlab-Workhorse-Detect-Content-Type}): SVG is
 * recognised first and served as {@code image/svg+xml}; otherwise Go's {@code http.DetectContentType} runs over the
 * first 512 bytes, and any text type (HTML and JavaScript included) is downgraded to {@code text/plain;
 * charset=utf-8} so nothing a user uploaded is rendered as a page.
 */
public final class ContentSniffer {
    public static final int SNIFF_LENGTH = 512;
    public static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    public static final String SVG = "image/svg+xml";

    private static final Pattern HTML_COMMENT = Pattern.compile("(?i)<!--([\\s\\S]*?)-->");
    private static final Pattern SVG_DOCUMENT = Pattern.compile(
            "(?i)^\\s*(?:<\\?xml\\b[^>]*>\\s*)?(?:<!doctype svg[^>]*\\s*(?:<![^>]*>)*[^>]*>\\s*)?<svg[^>]*>[^*]*</svg>\\s*$");
    private static final String[] HTML_TAGS = {"<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1",
            "<DIV", "<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--"};

    private ContentSniffer() {
    }

    /** Workhorse's safe content type for the first bytes of a file. */
    public static String safeContentType(byte[] head) {
        byte[] data = head.length > SNIFF_LENGTH ? java.util.Arrays.copyOf(head, SNIFF_LENGTH) : head;
        if (isSvg(data)) {
            return SVG;
        }
        String detected = detect(data);
        if (detected.startsWith("text/") || detected.matches("^(text|application)/javascript$")) {
            return TEXT_PLAIN;
        }
        return detected;
    }

    static boolean isSvg(byte[] data) {
        if (data.length >= 24) {
            for (int i = 0; i < 24; i++) {
                if ((data[i] & 0xff) <= 8) {
                    return false;
                }
            }
        }
        String text = new String(data, StandardCharsets.UTF_8);
        return SVG_DOCUMENT.matcher(HTML_COMMENT.matcher(text).replaceAll("")).find();
    }

    /** Go's {@code http.DetectContentType}. */
    static String detect(byte[] data) {
        int firstNonWs = 0;
        while (firstNonWs < data.length && isWhitespace(data[firstNonWs])) {
            firstNonWs++;
        }
        for (String tag : HTML_TAGS) {
            if (htmlTag(data, firstNonWs, tag)) {
                return "text/html; charset=utf-8";
            }
        }
        if (startsWith(data, firstNonWs, "<?xml")) {
            return "text/xml; charset=utf-8";
        }
        if (startsWith(data, 0, "%PDF-")) {
            return "application/pdf";
        }
        if (startsWith(data, 0, "%!PS-Adobe-")) {
            return "application/postscript";
        }
        if (masked(data, new int[]{0xFF, 0xFF, 0, 0}, new int[]{0xFE, 0xFF, 0, 0})) {
            return "text/plain; charset=utf-16be";
        }
        if (masked(data, new int[]{0xFF, 0xFF, 0, 0}, new int[]{0xFF, 0xFE, 0, 0})) {
            return "text/plain; charset=utf-16le";
        }
        if (masked(data, new int[]{0xFF, 0xFF, 0xFF, 0}, new int[]{0xEF, 0xBB, 0xBF, 0})) {
            return "text/plain; charset=utf-8";
        }
        String binary = binarySignature(data);
        if (binary != null) {
            return binary;
        }
        for (int i = firstNonWs; i < data.length; i++) {
            int b = data[i] & 0xff;
            if (b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F)) {
                return MediaTypes.OCTET_STREAM;
            }
        }
        return "text/plain; charset=utf-8";
    }

    private static String binarySignature(byte[] data) {
        if (exact(data, 0x00, 0x00, 0x01, 0x00) || exact(data, 0x00, 0x00, 0x02, 0x00)) {
            return "image/x-icon";
        }
        if (startsWith(data, 0, "BM")) {
            return "image/bmp";
        }
        if (startsWith(data, 0, "GIF87a") || startsWith(data, 0, "GIF89a")) {
            return "image/gif";
        }
        if (riff(data, "WEBPVP")) {
            return "image/webp";
        }
        if (exact(data, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (exact(data, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(data, 0, "FORM") && data.length >= 12 && startsWith(data, 8, "AIFF")) {
            return "audio/aiff";
        }
        if (startsWith(data, 0, "ID3")) {
            return "audio/mpeg";
        }
        if (exact(data, 'O', 'g', 'g', 'S', 0x00)) {
            return "application/ogg";
        }
        if (exact(data, 'M', 'T', 'h', 'd', 0, 0, 0, 6)) {
            return "audio/midi";
        }
        if (riff(data, "AVI ")) {
            return "video/avi";
        }
        if (riff(data, "WAVE")) {
            return "audio/wave";
        }
        if (mp4(data)) {
            return "video/mp4";
        }
        if (exact(data, 0x1A, 0x45, 0xDF, 0xA3)) {
            return "video/webm";
        }
        if (data.length >= 36 && data[34] == 'L' && data[35] == 'P') {
            return "application/vnd.ms-fontobject";
        }
        if (exact(data, 0x00, 0x01, 0x00, 0x00)) {
            return "font/ttf";
        }
        if (startsWith(data, 0, "OTTO")) {
            return "font/otf";
        }
        if (startsWith(data, 0, "ttcf")) {
            return "font/collection";
        }
        if (startsWith(data, 0, "wOFF")) {
            return "font/woff";
        }
        if (startsWith(data, 0, "wOF2")) {
            return "font/woff2";
        }
        if (exact(data, 0x1F, 0x8B, 0x08)) {
            return "application/x-gzip";
        }
        if (exact(data, 'P', 'K', 0x03, 0x04)) {
            return "application/zip";
        }
        if (exact(data, 'R', 'a', 'r', '!', 0x1A, 0x07, 0x00) || exact(data, 'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00)) {
            return "application/x-rar-compressed";
        }
        if (exact(data, 0x00, 0x61, 0x73, 0x6D)) {
            return "application/wasm";
        }
        return null;
    }

    private static boolean htmlTag(byte[] data, int from, String tag) {
        if (data.length - from < tag.length() + 1) {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            int expected = tag.charAt(i);
            int actual = data[from + i] & 0xff;
            if (expected >= 'A' && expected <= 'Z') {
                actual &= 0xDF;
            }
            if (expected != actual) {
                return false;
            }
        }
        int terminator = data[from + tag.length()];
        return terminator == ' ' || terminator == '>';
    }

    private static boolean mp4(byte[] data) {
        if (data.length < 12) {
            return false;
        }
        long boxSize = ((data[0] & 0xffL) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
        if (data.length < boxSize || boxSize % 4 != 0 || !startsWith(data, 4, "ftyp")) {
            return false;
        }
        for (int start = 8; start + 3 <= boxSize; start += 4) {
            if (start != 12 && startsWith(data, start, "mp4")) {
                return true;
            }
        }
        return false;
    }

    private static boolean riff(byte[] data, String kind) {
        return data.length >= 8 + kind.length() && startsWith(data, 0, "RIFF") && startsWith(data, 8, kind);
    }

    private static boolean masked(byte[] data, int[] mask, int[] pattern) {
        if (data.length < pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (((data[i] & 0xff) & mask[i]) != pattern[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean exact(byte[] data, int... pattern) {
        if (data.length < pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if ((data[i] & 0xff) != pattern[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] data, int from, String ascii) {
        if (from < 0 || data.length - from < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (data[from + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(byte b) {
        return b == '\t' || b == '\n' || b == 0x0C || b == '\r' || b == ' ';
    }
}
