package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.AccessVersionsContract;
import io.jobyard.application.contract.Repositories;
import io.jobyard.application.port.out.AccessVersions;

class H2AccessVersionsTest extends AccessVersionsContract {
    @Override
    protected Repositories repositories() {
        return JdbcTestStores.h2();
    }

    @Override
    protected AccessVersions versions() {
        return JdbcTestStores.h2AccessVersions();
    }
}
