package io.jobyard.archfixture.adapter.jdbc;

import io.undertow.Undertow;

/** Planted violation: a database adapter that starts a web server. */
public class JdbcUsingUndertow {
    public Undertow.Builder server() {
        return Undertow.builder();
    }
}
