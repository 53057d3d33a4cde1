package io.jobyard.archfixture.application.port.out;

/** Planted violation: an outbound port that is a class. */
public class ThingRepository {
}
