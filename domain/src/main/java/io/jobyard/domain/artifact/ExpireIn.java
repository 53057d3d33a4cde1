package io.jobyard.domain.artifact;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitLab's {@code expire_in} durations ("1 week", "30 days", "2 hrs 20 min", "42", "never"), parsed the way its
 * ChronicDuration does for the forms people write. Empty means "never expires".
 */
public final class ExpireIn {
    /** GitLab's instance default {@code default_artifacts_expire_in}. */
    public static final Duration DEFAULT = Duration.ofDays(30);

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");

    private ExpireIn() {
    }

    /**
     * @return the duration, or empty for "never"/"0"
     * @throws IllegalArgumentException when the text is not a duration GitLab would accept
     */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("expire_in is missing");
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("never") || value.equals("0")) {
            return Optional.empty();
        }
        value = value.replace(",", " ").replaceAll("\\band\\b", " ").trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("invalid expire_in: " + text);
        }
        Matcher matcher = PART.matcher(value);
        long totalMillis = 0;
        int position = 0;
        boolean any = false;
        while (matcher.find()) {
            if (!value.substring(position, matcher.start()).isBlank()) {
                throw new IllegalArgumentException("invalid expire_in: " + text);
            }
            double amount = Double.parseDouble(matcher.group(1));
            long unitMillis = unitMillis(matcher.group(2), text);
            totalMillis = Math.addExact(totalMillis, (long) (amount * unitMillis));
            position = matcher.end();
            any = true;
        }
        if (!any || !value.substring(position).isBlank()) {
            throw new IllegalArgumentException("invalid expire_in: " + text);
        }
        if (totalMillis == 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(totalMillis));
    }

    /** The expiry instant for an artifact created at {@code now}: given text, else the default; empty for never. */
    public static Optional<Instant> expiryFor(String textOrNull, Duration instanceDefault, Instant now) {
        if (textOrNull == null || textOrNull.isBlank()) {
            return instanceDefault == null ? Optional.empty() : Optional.of(now.plus(instanceDefault));
        }
        return parse(textOrNull).map(now::plus);
    }

    private static long unitMillis(String unit, String text) {
        long second = 1000L;
        return switch (unit) {
            case "", "s", "sec", "secs", "second", "seconds" -> second;
            case "ms", "msec", "millisecond", "milliseconds" -> 1;
            case "m", "min", "mins", "minute", "minutes" -> 60 * second;
            case "h", "hr", "hrs", "hour", "hours" -> 3600 * second;
            case "d", "day", "days" -> 86_400 * second;
            case "w", "wk", "wks", "week", "weeks" -> 7 * 86_400 * second;
            case "mo", "mos", "month", "months" -> 2_592_000L * second; // ChronicDuration: 30 days
            case "y", "yr", "yrs", "year", "years" -> 31_557_600L * second; // ChronicDuration: 365.25 days
            default -> throw new IllegalArgumentException("invalid expire_in: " + text);
        };
    }
}
