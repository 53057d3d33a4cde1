package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.AccessVersionsContract;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.out.AccessVersions;

class PostgresAccessVersionsTest extends AccessVersionsContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.postgres();
    }

    @Override
    protected AccessVersions versions() {
        return JdbcTestStores.postgresAccessVersions();
    }
}
