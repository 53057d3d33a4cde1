package io.jobyard.archfixture.bootstrap;

import io.jobyard.archfixture.application.service.other.ThingsService;

/** Planted violation: a service built outside the application's one factory. */
public class WiringByHand {
    public Object things() {
        return new ThingsService();
    }
}
