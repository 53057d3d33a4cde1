package io.jobyard.application.port.out;

import io.jobyard.application.port.in.event.HookPayload;

/** Writes a hook payload as GitLab sends it: the JSON text of its job or pipeline hook. */
@FunctionalInterface
public interface HookPayloadEncoder {
    String encode(HookPayload payload);
}
