package io.jobyard.domain.user;

import io.jobyard.domain.error.BadRequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordPolicyTest {
    @Test
    void gitLabsLengthsCountedInCharactersNotBytesOrUtf16Units() {
        assertThatCode(() -> PasswordPolicy.check("12345678")).doesNotThrowAnyException();
        assertThatCode(() -> PasswordPolicy.check("🔑".repeat(8))).doesNotThrowAnyException();
        assertThatCode(() -> PasswordPolicy.check("x".repeat(128))).doesNotThrowAnyException();

        assertThatThrownBy(() -> PasswordPolicy.check("1234567")).isInstanceOf(BadRequestException.class)
                .hasMessage("password is too short (minimum is 8 characters)");
        // 7 emoji are 14 UTF-16 units and 28 bytes, still 7 characters.
        assertThatThrownBy(() -> PasswordPolicy.check("🔑".repeat(7))).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> PasswordPolicy.check("🔑".repeat(129)))
                .hasMessage("password is too long (maximum is 128 characters)");
        assertThatThrownBy(() -> PasswordPolicy.check(null)).hasMessage("password is missing");
        assertThatThrownBy(() -> PasswordPolicy.check("")).hasMessage("password is missing");
    }
}
