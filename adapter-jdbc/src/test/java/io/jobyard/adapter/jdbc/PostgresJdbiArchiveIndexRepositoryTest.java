package io.jobyard.adapter.jdbc;

class PostgresJdbiArchiveIndexRepositoryTest extends ArchiveIndexBehaviour {
    @Override
    protected JdbcPersistence store() {
        return TestStores.postgres();
    }
}
