package io.jobyard.archfixture.application.service;

import io.micrometer.core.instrument.MeterRegistry;

/** Planted violation: a service that counts on Micrometer instead of telling a port. */
public class ServiceCountingWithMicrometer {
    private final MeterRegistry registry;

    public ServiceCountingWithMicrometer(MeterRegistry registry) {
        this.registry = registry;
    }

    public void cancel() {
        registry.counter("canceled").increment();
    }
}
