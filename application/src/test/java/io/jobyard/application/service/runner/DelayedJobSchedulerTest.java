package io.jobyard.application.service.runner;

import io.jobyard.domain.job.Job;
import io.jobyard.domain.job.JobEvent;
import io.jobyard.domain.job.JobSpec;
import io.jobyard.domain.job.JobStatus;
import io.jobyard.domain.job.TransitionContext;
import io.jobyard.domain.job.WhenCondition;
import io.jobyard.domain.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DelayedJobSchedulerTest {
    private final RunnerTestbed bed = new RunnerTestbed();

    private DelayedJobScheduler scheduler(int batchSize) {
        return bed.services.delayedJobScheduler(batchSize);
    }

    private static JobSpec delayed(String name, Duration startIn) {
        return JobSpec.simple(name, "deploy", 0).withWhen(WhenCondition.DELAYED, startIn);
    }

    @Test
    void a_delayed_job_becomes_pending_when_its_time_has_come_and_a_runner_can_take_it() {
        Pipeline pipeline = bed.pipeline(List.of("deploy"), delayed("rollout", Duration.ofMinutes(5)));
        Job scheduled = bed.job(pipeline, "rollout");
        assertThat(scheduled.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(scheduled.scheduledAt()).isEqualTo(RunnerTestbed.NOW.plus(Duration.ofMinutes(5)));
        DelayedJobScheduler scheduler = scheduler(DelayedJobScheduler.DEFAULT_BATCH_SIZE);

        bed.clock.advance(Duration.ofMinutes(4));
        assertThat(scheduler.enqueueDue()).isZero();
        assertThat(bed.job(pipeline, "rollout").status()).isEqualTo(JobStatus.SCHEDULED);

        bed.clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.enqueueDue()).isEqualTo(1);
        Job pending = bed.job(pipeline, "rollout");
        assertThat(pending.status()).isEqualTo(JobStatus.PENDING);
        assertThat(pending.queuedAt()).isEqualTo(bed.clock.instant());
        assertThat(pending.scheduledAt()).isNull();
        assertThat(bed.reload(pipeline).status()).isEqualTo(JobStatus.PENDING);
        assertThat(scheduler.enqueueDue()).isZero();

        assertThat(bed.assigned(bed.untaggedRunner()).jobInfo().name()).isEqualTo("rollout");
    }

    @Test
    void a_delayed_job_in_a_resource_group_waits_for_the_resource() {
        Pipeline pipeline = bed.pipeline(List.of("deploy"),
                delayed("rollout", Duration.ofMinutes(1)).withResourceGroup("production"));
        bed.clock.advance(Duration.ofMinutes(1));

        scheduler(10).enqueueDue();

        assertThat(bed.job(pipeline, "rollout").status()).isEqualTo(JobStatus.WAITING_FOR_RESOURCE);
    }

    @Test
    void jobs_that_fell_due_while_nothing_ran_are_enqueued_late_in_batches() {
        JobSpec[] specs = new JobSpec[23];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = delayed("d" + i, Duration.ofMinutes(i));
        }
        Pipeline pipeline = bed.pipeline(List.of("deploy"), specs);
        bed.clock.advance(Duration.ofDays(2));

        assertThat(scheduler(5).enqueueDue()).isEqualTo(23);
        assertThat(bed.repos.jobs().findByPipeline(pipeline.id())).extracting(Job::status)
                .containsOnly(JobStatus.PENDING);
    }

    @Test
    void two_schedulers_on_different_instances_enqueue_each_job_once() throws Exception {
        JobSpec[] specs = new JobSpec[40];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = delayed("d" + i, Duration.ofMinutes(1));
        }
        Pipeline pipeline = bed.pipeline(List.of("deploy"), specs);
        bed.clock.advance(Duration.ofMinutes(2));

        int[] enqueued = new int[2];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int slot = i;
            DelayedJobScheduler own = scheduler(3);
            threads.add(new Thread(() -> enqueued[slot] = own.enqueueDue()));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(enqueued[0] + enqueued[1]).isEqualTo(40);
        assertThat(bed.repos.jobs().findByPipeline(pipeline.id())).extracting(Job::status)
                .containsOnly(JobStatus.PENDING);
    }

    @Test
    void a_job_unscheduled_meanwhile_stays_manual() {
        Pipeline pipeline = bed.pipeline(List.of("deploy"), delayed("rollout", Duration.ofMinutes(1)));
        Job scheduled = bed.job(pipeline, "rollout");
        bed.repos.jobs().update(scheduled.apply(JobEvent.UNSCHEDULE,
                TransitionContext.plain(), bed.clock.instant()));
        bed.clock.advance(Duration.ofMinutes(2));

        assertThat(scheduler(10).enqueueDue()).isZero();
        assertThat(bed.job(pipeline, "rollout").status()).isEqualTo(JobStatus.MANUAL);
    }
}
