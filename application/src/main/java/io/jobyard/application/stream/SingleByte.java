package io.jobyard.application.stream;

import java.io.IOException;
import java.io.InputStream;

/** {@link InputStream#read()} for streams whose work is all in {@code read(byte[], int, int)}. */
public final class SingleByte {
    private SingleByte() {
    }

    /** One byte of {@code stream} through its array read: 0 to 255, or -1 at the end. */
    public static int read(InputStream stream) throws IOException {
        byte[] one = new byte[1];
        int n = stream.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }
}
