package io.jobyard.adapter.storage.s3;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code Content-Range} response header: {@code bytes first-last/total}, or {@code bytes *}{@code /total} on
 * a 416. Reading the total from here is what lets a ranged read be one GET instead of HEAD + GET.
 */
record ContentRange(long first, long last, long total) {
    private static final Pattern SATISFIED = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+)");
    private static final Pattern UNSATISFIED = Pattern.compile("bytes\\s+\\*/(\\d+)");

    static Optional<ContentRange> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher satisfied = SATISFIED.matcher(header.trim());
        if (satisfied.matches()) {
            return Optional.of(new ContentRange(Long.parseLong(satisfied.group(1)),
                    Long.parseLong(satisfied.group(2)), Long.parseLong(satisfied.group(3))));
        }
        return Optional.empty();
    }

    /** The total size from a 416's {@code bytes *}{@code /total}. */
    static Optional<Long> unsatisfiedTotal(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher unsatisfied = UNSATISFIED.matcher(header.trim());
        return unsatisfied.matches() ? Optional.of(Long.parseLong(unsatisfied.group(1))) : Optional.empty();
    }
}
