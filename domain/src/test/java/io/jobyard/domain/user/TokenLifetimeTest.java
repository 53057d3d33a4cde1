package io.jobyard.domain.user;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GitLab's lifetime rule for new tokens: 365 days unless configured, a week for rotations, its refusal text. */
class TokenLifetimeTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 2);

    @Test
    void aTokenWithoutADateLivesTheLongestAllowedAndARotatedOneAWeek() {
        assertThat(TokenLifetime.DEFAULT.defaultExpiry(TODAY)).isEqualTo(LocalDate.of(2027, 3, 2));
        assertThat(TokenLifetime.DEFAULT.rotationExpiry(TODAY)).isEqualTo(LocalDate.of(2026, 3, 9));
        assertThat(new TokenLifetime(30).defaultExpiry(TODAY)).isEqualTo(LocalDate.of(2026, 4, 1));
    }

    @Test
    void aDateLaterThanTheLongestLifetimeIsRefusedWithGitLabsMessage() {
        assertThat(TokenLifetime.DEFAULT.refusal(LocalDate.of(2027, 3, 2), TODAY)).isEmpty();
        assertThat(TokenLifetime.DEFAULT.refusal(LocalDate.of(2027, 3, 3), TODAY))
                .contains("Expires at must be before 2027-03-02");
        assertThat(TokenLifetime.DEFAULT.refusal(LocalDate.of(9999, 12, 31), TODAY))
                .contains("Expires at must be before 2027-03-02");
        assertThat(TokenLifetime.DEFAULT.refusal(null, TODAY)).isEmpty();
    }

    @Test
    void withoutALimitTokensLiveAsLongAsAskedAndForeverWithoutADate() {
        assertThat(TokenLifetime.UNLIMITED.defaultExpiry(TODAY)).isNull();
        assertThat(TokenLifetime.UNLIMITED.rotationExpiry(TODAY)).isNull();
        assertThat(TokenLifetime.UNLIMITED.refusal(LocalDate.of(9999, 12, 31), TODAY)).isEmpty();
    }

    @Test
    void theLongestLifetimeIsAtLeastADay() {
        assertThatThrownBy(() -> new TokenLifetime(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
