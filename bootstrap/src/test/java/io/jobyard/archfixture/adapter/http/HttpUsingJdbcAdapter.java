package io.jobyard.archfixture.adapter.http;

import io.jobyard.archfixture.adapter.jdbc.JdbcUsingUndertow;
import software.amazon.awssdk.regions.Region;

/** Planted violations: one adapter calling another, and the HTTP adapter using the AWS SDK. */
public class HttpUsingJdbcAdapter {
    private final JdbcUsingUndertow other = new JdbcUsingUndertow();

    public Object region() {
        return other == null ? null : Region.EU_WEST_1;
    }
}
