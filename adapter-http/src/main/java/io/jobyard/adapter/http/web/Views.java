package io.jobyard.adapter.http.web;

import io.jobyard.domain.job.JobStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages say things: statuses in words and icons (never colour alone), times and durations. */
public final class Views {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Views() {
    }

    /** GitLab's status label: "passed" for success, the status's own name otherwise. */
    public static String label(JobStatus status) {
        return switch (status) {
            case SUCCESS -> "passed";
            case WAITING_FOR_RESOURCE -> "waiting";
            case WAITING_FOR_CALLBACK -> "waiting";
            default -> status.name().toLowerCase(Locale.ROOT);
        };
    }

    /** A glyph that tells the status apart without colour. */
    public static String icon(JobStatus status) {
        return switch (status) {
            case SUCCESS -> "\u2714";              // heavy check mark
            case FAILED -> "\u2716";               // heavy multiplication x
            case RUNNING -> "\u25B6";              // play triangle
            case PENDING, PREPARING, WAITING_FOR_RESOURCE, WAITING_FOR_CALLBACK -> "\u23F8"; // pause
            case CANCELED, CANCELING -> "\u2298";  // circled slash
            case SKIPPED -> "\u00BB";              // double angle
            case MANUAL -> "\u2699";               // gear
            case SCHEDULED -> "\u23F1";            // stopwatch
            case CREATED -> "\u25CB";              // white circle
        };
    }

    /** The CSS class of a status badge (colour is a second channel, the word and icon the first). */
    public static String css(JobStatus status) {
        return "ci-status ci-" + status.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** The machine-readable form for {@code <time datetime>}. */
    public static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /** {@code 1h 2m 3s}, {@code 2m 3s}, {@code 3s}. */
    public static String duration(Double seconds) {
        if (seconds == null) {
            return "";
        }
        Duration d = Duration.ofMillis(Math.round(seconds * 1000));
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        if (h > 0) {
            return h + "h " + m + "m " + s + "s";
        }
        return m > 0 ? m + "m " + s + "s" : s + "s";
    }

    public static String shortSha(String sha) {
        return sha == null ? "" : sha.substring(0, Math.min(8, sha.length()));
    }

    /** Bytes for people: {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 MiB}. */
    public static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        double value = count;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = -1;
        do {
            value /= 1024;
            unit++;
        } while (value >= 1024 && unit < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
