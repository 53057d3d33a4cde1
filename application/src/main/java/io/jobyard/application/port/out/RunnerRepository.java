package io.jobyard.application.port.out;

import io.jobyard.domain.runner.Runner;
import io.jobyard.domain.runner.RunnerId;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Runners; their authentication tokens are stored as digests only. */
public interface RunnerRepository {

    RunnerId nextId();

    Runner insert(Runner runner);

    Runner update(Runner runner);

    /** @return whether it existed */
    boolean delete(RunnerId id);

    Optional<Runner> findById(RunnerId id);

    Map<RunnerId, Runner> findByIds(Collection<RunnerId> ids);

    Optional<Runner> findByTokenDigest(String digest);
}
