package io.jobyard.adapter.http.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobyard.adapter.http.json.Json;
import io.jobyard.adapter.http.params.NestedParams;
import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.params.WellFormedText;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.job.JobVariable;
import io.jobyard.domain.text.TextLimit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code job_variables_attributes}: Grape's {@code Array[JSON]} of {@code {key: String, value: String}}, both
 * required. It arrives as a JSON array (python-gitlab, GitBeaker), as form fields {@code job_variables_attributes[][key]}
 * or {@code [0][key]}, or as one form field holding JSON. Grape runs the {@code key} check over every element, then
 * the {@code value} check, and reports every failure joined by ", ".
 */
public final class PlayVariables {
    private static final String NAME = "job_variables_attributes";

    private PlayVariables() {
    }

    /** The variables to set, or null when none were given (the job keeps its own). */
    public static List<JobVariable> read(Params params) {
        Optional<ParamValue> given = params.get(NAME);
        if (given.isEmpty() || given.get() instanceof ParamValue.Blank
                || (given.get() instanceof ParamValue.Text text && text.value().isBlank())) {
            return null;
        }
        List<Map<String, ParamValue>> items = items(given.get());
        List<String> errors = new ArrayList<>();
        for (String field : List.of("key", "value")) {
            for (int i = 0; i < items.size(); i++) {
                ParamValue value = items.get(i).get(field);
                String name = NAME + "[" + i + "][" + field + "]";
                if (value == null || value instanceof ParamValue.Blank) {
                    errors.add(name + " is missing");
                } else if (!(value instanceof ParamValue.Text)) {
                    errors.add(name + " is invalid");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidParameterException(String.join(", ", errors));
        }
        List<JobVariable> variables = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String key = ((ParamValue.Text) items.get(i).get("key")).value();
            // A JSON text parameter is decoded here, after the request's own parameters were checked.
            String value = WellFormedText.require(NAME + "[" + i + "][value]",
                    ((ParamValue.Text) items.get(i).get("value")).value());
            TextLimit.VARIABLE_KEY.require(key, NAME + "[" + i + "][key]");
            try {
                variables.add(JobVariable.of(key, value));
            } catch (IllegalArgumentException badKey) {
                throw new InvalidParameterException(NAME + "[" + i + "][key] is invalid");
            }
        }
        return variables;
    }

    private static List<Map<String, ParamValue>> items(ParamValue value) {
        if (value instanceof ParamValue.Text text) {
            JsonNode node = Json.read(text.value().getBytes(StandardCharsets.UTF_8))
                    .filter(parsed -> parsed.isArray() || parsed.isObject())
                    .orElseThrow(() -> Params.invalid(NAME));
            ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
            wrapper.set("v", node);
            return items(NestedParams.fromJson(wrapper).get("v"));
        }
        List<ParamValue> elements = new ArrayList<>();
        if (value instanceof ParamValue.Items list) {
            elements.addAll(list.items());
        } else if (value instanceof ParamValue.Fields fields) {
            boolean indexed = !fields.fields().isEmpty()
                    && fields.fields().keySet().stream().allMatch(k -> k.matches("\\d{1,9}"));
            if (indexed) {
                Map<Integer, ParamValue> byIndex = new TreeMap<>();
                fields.fields().forEach((index, element) -> byIndex.put(Integer.parseInt(index), element));
                elements.addAll(byIndex.values());
            } else {
                elements.add(fields);
            }
        } else {
            throw Params.invalid(NAME);
        }
        List<Map<String, ParamValue>> items = new ArrayList<>();
        for (ParamValue element : elements) {
            if (!(element instanceof ParamValue.Fields fields)) {
                throw Params.invalid(NAME);
            }
            items.add(fields.fields());
        }
        return items;
    }
}
