package io.jobyard.adapter.jdbc.contract;

import io.jobyard.adapter.jdbc.JdbcTestStores;
import io.jobyard.application.contract.CiConfigRepositoryContract;
import io.jobyard.application.port.out.CiConfigRepository;

class PostgresCiConfigRepositoryTest extends CiConfigRepositoryContract {
    @Override
    protected CiConfigRepository ciConfigs() {
        return JdbcTestStores.postgresCiConfigs();
    }
}
