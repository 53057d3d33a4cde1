package io.jobyard.adapter.http.reply;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EntityTagsTest {

    @Test
    void equalBodiesHaveEqualTagsThatAreValidOpaqueTags() {
        byte[] body = "[{\"id\":1,\"status\":\"success\"}]".getBytes(StandardCharsets.UTF_8);
        String tag = EntityTags.ofBytes(body);

        assertThat(EntityTags.ofBytes(body.clone())).isEqualTo(tag);
        assertThat(tag).matches("\"[0-9a-f]+-[0-9a-f]{16}\"");
        assertThat(EntityTags.strong(tag)).isEqualTo(tag);
    }

    @Property(tries = 300)
    void anyChangedByteChangesTheTag(@ForAll @Size(min = 1, max = 4096) byte[] body, @ForAll @IntRange(max = 4095) int at,
                                     @ForAll @IntRange(min = 1, max = 255) int delta) {
        byte[] changed = body.clone();
        changed[at % body.length] += (byte) delta;

        assertThat(EntityTags.ofBytes(changed)).isNotEqualTo(EntityTags.ofBytes(body));
    }

    @Test
    void aLongerOrShorterBodyChangesTheTag() {
        byte[] body = new byte[100];
        assertThat(EntityTags.ofBytes(new byte[101])).isNotEqualTo(EntityTags.ofBytes(body));
        assertThat(EntityTags.ofBytes(new byte[0])).isNotEqualTo(EntityTags.ofBytes(body));
    }
}
