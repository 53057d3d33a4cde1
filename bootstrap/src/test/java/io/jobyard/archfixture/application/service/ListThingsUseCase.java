package io.jobyard.archfixture.application.service;

/** Planted violation: a use case that is a class outside port.in. */
public class ListThingsUseCase {
}
