package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.jobyard.domain.project.Project;

/** The {@code project} object of the Job entity: only the outbound job-token scope setting. */
public record JobProjectJson(@JsonProperty("ci_job_token_scope_enabled") boolean ciJobTokenScopeEnabled) {
    public static JobProjectJson from(Project project) {
        return new JobProjectJson(project.ciJobTokenScopeEnabled());
    }
}
