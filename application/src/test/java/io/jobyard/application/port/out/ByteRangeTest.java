package io.jobyard.application.port.out;

import io.jobyard.domain.error.RangeNotSatisfiableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one rule every store and download applies to a range: clipped to the end, 416 only when it starts past it. */
class ByteRangeTest {

    @Test
    void aRangeIsClippedToTheEndAndOneStartingAtTheEndIsEmpty() {
        assertThat(new ByteRange(2, 5).satisfiableLengthWithin(10)).isEqualTo(5);
        assertThat(new ByteRange(8, 5).satisfiableLengthWithin(10)).isEqualTo(2);
        assertThat(ByteRange.from(3).satisfiableLengthWithin(10)).isEqualTo(7);
        assertThat(ByteRange.from(10).satisfiableLengthWithin(10)).isZero();
        assertThat(ByteRange.ALL.satisfiableLengthWithin(0)).isZero();
    }

    @Test
    void aRangeStartingPastTheEndIsNotSatisfiableAndNamesTheSize() {
        assertThatThrownBy(() -> new ByteRange(11, 1).satisfiableLengthWithin(10))
                .isInstanceOfSatisfying(RangeNotSatisfiableException.class,
                        e -> assertThat(e.currentLength()).isEqualTo(10));
    }
}
