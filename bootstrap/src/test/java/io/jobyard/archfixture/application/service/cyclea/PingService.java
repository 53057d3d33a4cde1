package io.jobyard.archfixture.application.service.cyclea;

import io.jobyard.archfixture.application.service.cycleb.Pong;

/** Planted violation: a feature that needs another feature which needs it back. */
public class PingService {
    public Pong pong() {
        return new Pong();
    }
}
