package io.jobyard.adapter.jdbc;

class H2JdbiArchiveIndexRepositoryTest extends ArchiveIndexBehaviour {
    @Override
    protected JdbcPersistence store() {
        return TestStores.h2();
    }
}
