package io.jobyard.archfixture.application.port.out;

import java.io.FilterInputStream;
import java.io.InputStream;

/** Planted violation: a stream helper, an implementation class, among the outbound ports. */
public class ThingStream extends FilterInputStream {
    public ThingStream(InputStream in) {
        super(in);
    }
}
