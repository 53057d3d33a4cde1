package io.jobyard.archfixture.application.service.other;

import io.jobyard.archfixture.application.port.in.thing.ThingsUseCase;

/** Planted violation: the "thing" feature's use case implemented in the package of another feature. */
public class ThingsService implements ThingsUseCase {
    @Override
    public void doThings() {
    }
}
