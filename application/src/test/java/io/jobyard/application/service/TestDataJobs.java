package io.jobyard.application.service;

import io.jobyard.application.contract.TestData;
import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.pipeline.Pipeline;

/** Job builders the service tests share. */
public final class TestDataJobs {
    private TestDataJobs() {
    }

    /** A finished, successful job created shortly before NOW. */
    public static Job.Builder succeeded(ServiceFixture f, Pipeline pipeline, String name) {
        return inStatus(f, pipeline, JobSpec.simple(name, "test", 1), JobStatus.SUCCESS);
    }

    public static Job.Builder inStatus(ServiceFixture f, Pipeline pipeline, JobSpec spec, JobStatus status) {
        return TestData.withTimesOf(f.data.jobBuilder(pipeline, spec.name()), status).spec(spec)
                .createdAt(ServiceFixture.NOW.minusSeconds(600)).updatedAt(ServiceFixture.NOW.minusSeconds(60));
    }
}
