package io.jobyard.archfixture.application.service;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

/** Planted violation: a service that hashes passwords with Bouncy Castle itself instead of through a port. */
public class ServiceHashingWithBouncyCastle {
    public Argon2BytesGenerator generator() {
        return new Argon2BytesGenerator();
    }
}
