package io.jobyard.adapter.http.params;

import io.jobyard.adapter.http.json.Json;
import io.jobyard.domain.error.InvalidParameterException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NestedParamsTest {
    @Test
    void plainBracketAndHashKeysBuildRacksShapes() {
        Map<String, ParamValue> params = parse("scope=pending&list%5B%5D=a&list[]=b&hash[x]=1&hash[y]=2");
        assertThat(params.get("scope")).isEqualTo(new ParamValue.Text("pending"));
        assertThat(params.get("list")).isEqualTo(new ParamValue.Items(List.of(text("a"), text("b"))));
        assertThat(params.get("hash")).isEqualTo(new ParamValue.Fields(Map.of("x", text("1"), "y", text("2"))));
    }

    @Test
    void aRepeatedPlainKeyKeepsEveryValue() {
        Map<String, ParamValue> params = parse("scope=a&scope=b");
        assertThat(params.get("scope")).isEqualTo(new ParamValue.Repeated(List.of("a", "b")));
        assertThat(Params.of(FormEncoding.parse("scope=a&scope=b"), Map.of()).text("scope")).contains("b");
    }

    @Test
    void arraysOfHashesStartANewElementWhenAKeyRepeats() {
        Map<String, ParamValue> params = parse("v[][key]=A&v[][value]=1&v[][key]=B&v[][value]=2");
        assertThat(params.get("v")).isEqualTo(new ParamValue.Items(List.of(
                new ParamValue.Fields(Map.of("key", text("A"), "value", text("1"))),
                new ParamValue.Fields(Map.of("key", text("B"), "value", text("2"))))));
    }

    @Test
    void queryValuesAreFormDecoded() {
        assertThat(parse("job=build+and%20test").get("job")).isEqualTo(text("build and test"));
    }

    @Test
    void conflictingShapesAreRefusedLikeRack() {
        assertThatThrownBy(() -> parse("scope=a&scope[]=b"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessage("expected Array (got String) for param `scope'");
    }

    @Test
    void aJsonObjectBodyBecomesTheSameTree() {
        Map<String, ParamValue> params = NestedParams.fromJson(Json.tree(
                "{\"force\":true,\"job_variables_attributes\":[{\"key\":\"A\",\"value\":null}]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(params.get("force")).isEqualTo(text("true"));
        assertThat(params.get("job_variables_attributes")).isEqualTo(new ParamValue.Items(List.of(
                new ParamValue.Fields(Map.of("key", text("A"), "value", new ParamValue.Blank())))));
    }

    @Test
    void aJsonBodyThatIsNotAnObjectHasNoParameters() {
        assertThat(NestedParams.fromJson(Json.tree("[1,2]".getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }

    @Test
    void integersAndBooleansCoerceLikeGrape() {
        Params params = Params.of(FormEncoding.parse("a=12&b=%2B7&c=1_000&d=x&t=True&f=no&e="), Map.of());
        assertThat(params.integer("a")).contains(java.math.BigInteger.valueOf(12));
        assertThat(params.integer("b")).contains(java.math.BigInteger.valueOf(7));
        assertThat(params.integer("c")).contains(java.math.BigInteger.valueOf(1000));
        assertThat(params.integer("e")).isEmpty();
        assertThatThrownBy(() -> params.integer("d")).hasMessage("d is invalid");
        assertThat(params.bool("t")).contains(true);
        assertThat(params.bool("f")).contains(false);
        assertThatThrownBy(() -> params.bool("d")).hasMessage("d is invalid");
    }

    @Test
    void theBodyOverridesTheQuery() {
        Params params = Params.of(FormEncoding.parse("force=false"), Map.of("force", text("true")));
        assertThat(params.bool("force")).contains(true);
    }

    private static Map<String, ParamValue> parse(String query) {
        return NestedParams.fromPairs(FormEncoding.parse(query));
    }

    private static ParamValue text(String value) {
        return new ParamValue.Text(value);
    }
}
