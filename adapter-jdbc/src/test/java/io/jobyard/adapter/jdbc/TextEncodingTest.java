package io.jobyard.adapter.jdbc;

import io.jobyard.domain.job.JobExecution.ArtifactsSpec;
import io.jobyard.domain.job.JobVariable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextEncodingTest {

    @Property
    void everyValueSurvivesTheRoundTrip(@ForAll("values") Object value) {
        assertThat(TextEncoding.decode(TextEncoding.encode(value))).isEqualTo(value);
    }

    @Property
    void encodedTextHoldsNothingADatabaseTextColumnRefuses(@ForAll("values") Object value) {
        String encoded = TextEncoding.encode(value);
        assertThat(encoded).doesNotContain("\u0000");
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < encoded.length() && Character.isLowSurrogate(encoded.charAt(i + 1))).isTrue();
                i++;
            } else {
                assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d", i).isFalse();
            }
        }
    }

    @Property
    void stringListsSurviveTheRoundTrip(@ForAll("anyStrings") List<String> strings) {
        assertThat(ColumnCodecs.strings(ColumnCodecs.strings(strings))).isEqualTo(strings);
    }

    @Property
    void variablesSurviveTheRoundTrip(@ForAll("variables") List<JobVariable> variables) {
        assertThat(ColumnCodecs.variables(ColumnCodecs.variables(variables))).isEqualTo(variables);
    }

    @Example
    void anArtifactsBlockSurvivesTheRoundTripWithItsNulls() {
        ArtifactsSpec full = new ArtifactsSpec("name \"quoted\"", List.of("a/", "b\\c"), List.of("*.tmp"), true,
                "on_failure", "2 days", "maintainer", Map.of("junit", List.of("x.xml", "y.xml"), "dotenv", List.of()));
        ArtifactsSpec sparse = new ArtifactsSpec(null, List.of(), List.of(), false, null, null, null, Map.of());

        assertThat(ColumnCodecs.artifactsSpec(ColumnCodecs.artifactsSpec(full))).isEqualTo(full);
        assertThat(ColumnCodecs.artifactsSpec(ColumnCodecs.artifactsSpec(sparse))).isEqualTo(sparse);
        assertThat(ColumnCodecs.artifactsSpec((ArtifactsSpec) null)).isNull();
    }

    @Example
    void malformedTextIsRefused() {
        for (String bad : List.of("", "[", "[\"a\"", "{\"a\"}", "\"\\x\"", "[1,]x", "nul", "\"\\u12\"")) {
            assertThatThrownBy(() -> TextEncoding.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> leaves = Arbitraries.oneOf(
                anyString().map(s -> (Object) s),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.just(null));
        return Arbitraries.recursive(() -> leaves, this::containersOf, 0, 3);
    }

    private Arbitrary<Object> containersOf(Arbitrary<Object> inner) {
        Arbitrary<Object> lists = inner.list().ofMaxSize(4).map(l -> (Object) l);
        Arbitrary<Object> maps = Arbitraries.maps(anyString(), inner).ofMaxSize(4)
                .map(m -> (Object) new LinkedHashMap<>(m));
        return Arbitraries.oneOf(lists, maps);
    }

    @Provide
    Arbitrary<List<String>> anyStrings() {
        return anyString().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<JobVariable>> variables() {
        Arbitrary<String> keys = Arbitraries.strings().withChars("ABCXYZ_019abc").ofMinLength(1).ofMaxLength(12);
        return Combinators.combine(keys, anyString(), Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as(JobVariable::new).list().ofMaxSize(5);
    }

    /** Any UTF-16 content: NUL, control characters, quotes, backslashes, lone and paired surrogates. */
    private static Arbitrary<String> anyString() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withChars("\"\\\u0000\n\t\u001f/\ud83d\ude00\ud800\udfff{}[],:").ofMaxLength(12));
    }
}
