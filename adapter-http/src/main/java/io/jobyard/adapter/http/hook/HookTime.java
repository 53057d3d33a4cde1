package io.jobyard.adapter.http.hook;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times in hook payloads as GitLab sends them: its hook workers receive the payload through Sidekiq's JSON, which
 * writes a time as Ruby's {@code Time#to_s} does in UTC ({@code 2016-08-12 15:23:28 UTC}), unlike the API's ISO 8601.
 */
final class HookTime {
    private static final DateTimeFormatter RUBY_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private HookTime() {
    }

    static String of(Instant instant) {
        return instant == null ? null : RUBY_UTC.format(instant);
    }
}
