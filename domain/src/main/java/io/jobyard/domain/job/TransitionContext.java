package io.jobyard.domain.job;

/**
 * The facts outside a job's status that decide where an event leads.
 *
 * @param hasResourceGroup        enqueue goes to waiting_for_resource first
 * @param unmetPrerequisites      enqueue goes to preparing first (e.g. an environment still being created)
 * @param gracefulCancelSupported the job's runner runs after_script on cancel, so running jobs go to canceling
 * @param forceCancelSupported    a canceling job may be forced to canceled
 * @param scheduledTimeReached    a delayed job's time has come
 */
public record TransitionContext(
        boolean hasResourceGroup,
        boolean unmetPrerequisites,
        boolean gracefulCancelSupported,
        boolean forceCancelSupported,
        boolean scheduledTimeReached) {

    /** No resource group, no prerequisites, no graceful cancel, the time of any delay reached. */
    public static TransitionContext plain() {
        return new TransitionContext(false, false, false, false, true);
    }

    public TransitionContext withResourceGroup(boolean value) {
        return new TransitionContext(value, unmetPrerequisites, gracefulCancelSupported, forceCancelSupported, scheduledTimeReached);
    }

    public TransitionContext withGracefulCancel(boolean value) {
        return new TransitionContext(hasResourceGroup, unmetPrerequisites, value, value, scheduledTimeReached);
    }

    public TransitionContext withScheduledTimeReached(boolean value) {
        return new TransitionContext(hasResourceGroup, unmetPrerequisites, gracefulCancelSupported, forceCancelSupported, value);
    }

    public TransitionContext withUnmetPrerequisites(boolean value) {
        return new TransitionContext(hasResourceGroup, value, gracefulCancelSupported, forceCancelSupported, scheduledTimeReached);
    }
}
