package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.json.Json;
import io.jobyard.adapter.http.params.FormEncoding;
import io.jobyard.adapter.http.params.NestedParams;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.JobVariable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** scope (contract §3.1/§3.2, §8.2), paging (§3.1) and job_variables_attributes (§3.8) as Grape reads them. */
class RequestParamsTest {
    @Test
    void scopeAsStringArrayRepeatedOrHashFiltersAlike() {
        for (String query : new String[]{"scope[]=running&scope[]=failed", "scope=running&scope=failed",
                "scope[a]=running&scope[b]=failed", "scope%5B%5D=running&scope%5B%5D=failed"}) {
            assertThat(ScopeParam.read(query(query), true)).as(query)
                    .containsExactlyInAnyOrder(JobStatus.RUNNING, JobStatus.FAILED);
        }
        assertThat(ScopeParam.read(query("scope=pending"), false)).containsExactly(JobStatus.PENDING);
        assertThat(ScopeParam.read(query(""), true)).isEmpty();
        assertThat(ScopeParam.read(query("scope="), true)).isEmpty();
    }

    @Test
    void anInvalidScopeIsRefusedWithGrapesMessage() {
        for (String query : new String[]{"scope=running,failed", "scope=unknown", "scope[]=RUNNING",
                "scope[a][b]=running"}) {
            assertThatThrownBy(() -> ScopeParam.read(query(query), true)).as(query)
                    .isInstanceOf(InvalidParameterException.class).hasMessage("scope does not have a valid value");
        }
    }

    @Test
    void thePipelineJobListRefusesAScopeHash() {
        assertThatThrownBy(() -> ScopeParam.read(query("scope[a]=running"), false))
                .hasMessage("scope does not have a valid value");
    }

    @Test
    void perPageIsClampedDefaultedOrRefused() {
        assertThat(OffsetPaging.read(query("per_page=500")).perPage()).isEqualTo(100);
        assertThat(OffsetPaging.read(query("per_page=-3")).perPage()).isEqualTo(20);
        assertThat(OffsetPaging.read(query("")).perPage()).isEqualTo(20);
        assertThat(OffsetPaging.read(query("page=0")).page()).isEqualTo(1);
        assertThat(OffsetPaging.read(query("page=-7")).page()).isEqualTo(1);
        assertThatThrownBy(() -> OffsetPaging.read(query("per_page=0")))
                .hasMessage("per_page has a value not allowed");
        assertThatThrownBy(() -> OffsetPaging.read(query("page=two"))).hasMessage("page is invalid");
    }

    @Test
    void theOffsetLimitCountsTheRequestedPageTimesTheRequestedPerPage() {
        assertThat(OffsetPaging.read(query("page=500&per_page=100")).exceeds(50_000)).isFalse();
        assertThat(OffsetPaging.read(query("page=501&per_page=100")).exceeds(50_000)).isTrue();
        assertThat(OffsetPaging.read(query("page=1&per_page=60000")).exceeds(50_000)).isTrue();
        assertThat(OffsetPaging.read(query("per_page=60000")).exceeds(50_000)).isFalse();
        assertThat(OffsetPaging.read(query("page=99999999999999999999999")).exceeds(50_000)).isTrue();
    }

    @Test
    void playVariablesFromJsonFormOrIndexedFields() {
        List<JobVariable> expected = List.of(JobVariable.of("A", "1"), JobVariable.of("B", "two words"));
        assertThat(PlayVariables.read(json("{\"job_variables_attributes\":[{\"key\":\"A\",\"value\":\"1\"},"
                + "{\"key\":\"B\",\"value\":\"two words\"}]}"))).isEqualTo(expected);
        assertThat(PlayVariables.read(query("job_variables_attributes[][key]=A&job_variables_attributes[][value]=1"
                + "&job_variables_attributes[][key]=B&job_variables_attributes[][value]=two+words")))
                .isEqualTo(expected);
        assertThat(PlayVariables.read(query("job_variables_attributes[1][key]=B&job_variables_attributes[1][value]="
                + "two+words&job_variables_attributes[0][key]=A&job_variables_attributes[0][value]=1")))
                .isEqualTo(expected);
        assertThat(PlayVariables.read(json("{}"))).isNull();
        assertThat(PlayVariables.read(json("{\"job_variables_attributes\":[]}"))).isEmpty();
    }

    @Test
    void playVariablesReportEveryMissingKeyThenEveryMissingValue() {
        assertThatThrownBy(() -> PlayVariables.read(json("{\"job_variables_attributes\":[{\"value\":\"1\"}]}")))
                .hasMessage("job_variables_attributes[0][key] is missing");
        assertThatThrownBy(() -> PlayVariables.read(json(
                "{\"job_variables_attributes\":[{\"key\":\"A\"},{\"value\":\"x\"}]}")))
                .hasMessage("job_variables_attributes[1][key] is missing, job_variables_attributes[0][value] is missing");
        assertThatThrownBy(() -> PlayVariables.read(json("{\"job_variables_attributes\":\"nope\"}")))
                .hasMessage("job_variables_attributes is invalid");
        assertThatThrownBy(() -> PlayVariables.read(json("{\"job_variables_attributes\":[1]}")))
                .hasMessage("job_variables_attributes is invalid");
        assertThatThrownBy(() -> PlayVariables.read(json(
                "{\"job_variables_attributes\":[{\"key\":\"A-B\",\"value\":\"x\"}]}")))
                .hasMessage("job_variables_attributes[0][key] is invalid");
    }

    private static Params query(String query) {
        return Params.of(FormEncoding.parse(query), Map.of());
    }

    private static Params json(String body) {
        return Params.of(List.of(), NestedParams.fromJson(Json.tree(body.getBytes(StandardCharsets.UTF_8))));
    }
}
