package io.jobyard.application.port.in.job;

import java.util.List;

/**
 * One page of jobs.
 *
 * @param hasNext whether another page follows
 * @param total   the total count when the listing counts (pipeline jobs), else null
 */
public record JobPage(List<JobView> jobs, boolean hasNext, Long total) {
    public JobPage {
        jobs = List.copyOf(jobs);
    }
}
