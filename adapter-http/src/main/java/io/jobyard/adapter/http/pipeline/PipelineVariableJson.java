package io.jobyard.adapter.http.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.domain.job.JobVariable;

/** GitLab's {@code Entities::Ci::Variable} for a pipeline variable: its type, key and value. */
@JsonPropertyOrder({"variable_type", "key", "value"})
record PipelineVariableJson(
        @JsonProperty("variable_type") String variableType,
        @JsonProperty("key") String key,
        @JsonProperty("value") String value) {

    static PipelineVariableJson from(JobVariable variable) {
        return new PipelineVariableJson(variable.file() ? "file" : "env_var", variable.key(), variable.value());
    }
}
