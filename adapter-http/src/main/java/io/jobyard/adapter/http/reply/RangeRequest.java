package io.jobyard.adapter.http.reply;

import java.util.Locale;

/**
 * A {@code Range: bytes=...} request header against a representation of known size. Only single ranges are served
 * (a multi-range or unparsable header is ignored and the whole file sent, which RFC 9110 allows); a range starting
 * past the end is unsatisfiable (416). Empty files ignore ranges.
 */
public sealed interface RangeRequest {

    record Whole() implements RangeRequest {
    }

    /** {@code length} bytes from {@code offset}; always inside the file. */
    record Part(long offset, long length, long size) implements RangeRequest {
        public String contentRange() {
            return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
        }
    }

    record Unsatisfiable(long size) implements RangeRequest {
        public String contentRange() {
            return "bytes */" + size;
        }
    }

    static RangeRequest parse(String header, long size) {
        if (header == null || size <= 0) {
            return new Whole();
        }
        String value = header.trim();
        if (!value.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return new Whole();
        }
        String spec = value.substring("bytes=".length()).trim();
        if (spec.isEmpty() || spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
            return new Whole();
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        boolean malformed = (!first.isEmpty() && !digits(first)) || (!last.isEmpty() && !digits(last));
        if (malformed || (first.isEmpty() && last.isEmpty())) {
            return new Whole();
        }
        if (first.isEmpty()) {
            long suffix = parseOrMax(last);
            if (suffix == 0) {
                return new Unsatisfiable(size);
            }
            long length = Math.min(suffix, size);
            return new Part(size - length, length, size);
        }
        long start = parseOrMax(first);
        if (!last.isEmpty()) {
            long end = parseOrMax(last);
            if (end < start) {
                return new Whole();
            }
            if (start >= size) {
                return new Unsatisfiable(size);
            }
            long clippedEnd = Math.min(end, size - 1);
            return new Part(start, clippedEnd - start + 1, size);
        }
        if (start >= size) {
            return new Unsatisfiable(size);
        }
        return new Part(start, size - start, size);
    }

    private static boolean digits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long parseOrMax(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
