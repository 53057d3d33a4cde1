package io.jobyard.archfixture.domain;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Planted violation: a domain class that knows Jackson. */
public class DomainUsingJackson {
    public String write(Object value) throws Exception {
        return new ObjectMapper().writeValueAsString(value);
    }
}
