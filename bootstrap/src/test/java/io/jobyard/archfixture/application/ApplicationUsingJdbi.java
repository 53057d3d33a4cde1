package io.jobyard.archfixture.application;

import org.jdbi.v3.core.Jdbi;

/** Planted violation: an application class that talks to the database directly. */
public class ApplicationUsingJdbi {
    public Jdbi connect() {
        return Jdbi.create("jdbc:h2:mem:planted");
    }
}
