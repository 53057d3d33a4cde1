package io.jobyard.application.contract;

import org.junit.jupiter.api.BeforeEach;

/**
 * What every repository contract shares: a fresh, EMPTY store per test (several methods answer across all projects —
 * pending jobs, expired artifacts, user counts — so leftovers of other tests would break them), and the test-data
 * builder over it.
 *
 * <p>An adapter test extends a concrete contract and supplies the store, e.g. a JDBI one over H2 whose tables it
 * truncates first. Nothing here depends on the in-memory implementations.
 */
public abstract class RepositoryContract {

    protected Repositories repos;
    protected TestData data;

    /**
     * A set of repositories over an empty store. Called once before each test. Sequences need not restart: the
     * contracts never assume particular id values, only their order.
     */
    protected abstract Repositories repositories();

    @BeforeEach
    protected void openStore() {
        repos = repositories();
        data = new TestData(repos);
    }
}
