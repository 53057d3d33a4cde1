package io.jobyard.application.memory;

import io.jobyard.application.contract.CiConfigRepositoryContract;
import io.jobyard.application.port.out.CiConfigRepository;

class InMemoryCiConfigRepositoryTest extends CiConfigRepositoryContract {
    @Override
    protected CiConfigRepository ciConfigs() {
        return new InMemoryCiConfigRepository();
    }
}
