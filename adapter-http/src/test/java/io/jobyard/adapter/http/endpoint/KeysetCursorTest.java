package io.jobyard.adapter.http.endpoint;

import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.job.JobId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysetCursorTest {
    @Test
    void encodesGitLabsCursorBytes() {
        String cursor = KeysetCursor.encode(JobId.of(1234));
        assertThat(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":\"1234\",\"_kd\":\"n\"}");
        // Ruby's urlsafe_encode64 pads
        assertThat(cursor).isEqualTo("eyJpZCI6IjEyMzQiLCJfa2QiOiJuIn0=");
    }

    @Test
    void decodesWithOrWithoutPaddingAndNumericIds() {
        assertThat(KeysetCursor.decode("eyJpZCI6IjEyMzQiLCJfa2QiOiJuIn0=")).isEqualTo(JobId.of(1234));
        assertThat(KeysetCursor.decode("eyJpZCI6IjEyMzQiLCJfa2QiOiJuIn0")).isEqualTo(JobId.of(1234));
        assertThat(KeysetCursor.decode(encode("{\"id\":77}"))).isEqualTo(JobId.of(77));
    }

    @Test
    void refusesWhatIsNotAForwardCursorOfAPositiveId() {
        for (String bad : new String[]{"!!!", "bm90IGpzb24", encode("[1]"), encode("{\"_kd\":\"n\"}"),
                encode("{\"id\":\"x\",\"_kd\":\"n\"}"), encode("{\"id\":\"0\"}"), encode("{\"id\":\"-5\"}"),
                encode("{\"id\":\"99999999999999999999\"}"), encode("{\"id\":\"5\",\"_kd\":\"p\"}"),
                encode("{\"id\":{}}")}) {
            assertThatThrownBy(() -> KeysetCursor.decode(bad)).as(bad)
                    .isInstanceOf(InvalidParameterException.class).hasMessage("cursor is invalid");
        }
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
