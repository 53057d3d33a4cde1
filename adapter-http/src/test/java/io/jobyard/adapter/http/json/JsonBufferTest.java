package io.jobyard.adapter.http.json;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The reply path's reused JSON buffer holds exactly what {@link Json#write(Object)} produces, answer after answer. */
class JsonBufferTest {
    private static Map<String, Object> answer(int items) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(Map.of("id", i, "name", "job \u00e9 " + i, "tags", List.of("a", "b")));
        }
        body.put("items", list);
        return body;
    }

    private static byte[] content(Json.Buffer buffer) {
        return Arrays.copyOf(buffer.array(), buffer.size());
    }

    @Test
    void eachAnswerReplacesTheLastOneWhateverTheirSizes() {
        Json.Buffer buffer = new Json.Buffer(64, 1 << 20);
        for (int items : new int[]{0, 500, 3, 2_000, 1}) {
            Object body = answer(items);
            Json.write(body, buffer);
            assertThat(content(buffer)).isEqualTo(Json.write(body));
        }
    }

    @Test
    void aHugeAnswerIsNotKeptAfterwards() {
        Json.Buffer buffer = new Json.Buffer(64, 4_096);
        Json.write(answer(2_000), buffer);
        assertThat(buffer.array().length).isGreaterThan(4_096);
        Json.write(answer(1), buffer);
        assertThat(buffer.array().length).as("let go at the next answer").isLessThanOrEqualTo(4_096);
        assertThat(content(buffer)).isEqualTo(Json.write(answer(1)));
    }
}
