package io.jobyard.archfixture.application.service.cycleb;

import io.jobyard.archfixture.application.service.cyclea.PingService;

/** The other half of the planted cycle. */
public class Pong {
    public Class<?> back() {
        return PingService.class;
    }
}
