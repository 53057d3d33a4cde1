package io.jobyard.archfixture.application.port.in.thing;

/** The use case of the "thing" feature. */
public interface ThingsUseCase {
    void doThings();
}
