package io.jobyard.adapter.http.hook;

import io.jobyard.adapter.http.params.Params;
import io.jobyard.application.port.in.hook.HooksUseCase.HookChanges;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.error.NotFoundException;
import io.jobyard.domain.hook.HookId;
import io.jobyard.domain.hook.HookTrigger;

import java.math.BigInteger;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The parameters of GitLab's {@code project_hook_properties}, read as Grape coerces them. */
final class HookParams {
    private HookParams() {
    }

    static HookChanges changes(Params params) {
        Map<HookTrigger, Boolean> triggers = new EnumMap<>(HookTrigger.class);
        for (HookTrigger trigger : HookTrigger.values()) {
            params.bool(trigger.attribute()).ifPresent(on -> triggers.put(trigger, on));
        }
        return new HookChanges(params.text("url").filter(u -> !u.isEmpty()), params.text("token"),
                params.text("name"), params.text("description"), triggers, params.bool("enable_ssl_verification"),
                params.text("push_events_branch_filter"),
                params.text("branch_filter_strategy").filter(s -> !s.isEmpty()));
    }

    /** {@code requires :hook_id, type: Integer}: not a number is 400, a number naming no hook 404. */
    static HookId hookId(String text) {
        BigInteger id = Params.parseInteger(text).orElseThrow(() -> Params.invalid("hook_id"));
        if (id.signum() <= 0 || id.bitLength() > 63) {
            throw NotFoundException.record("Hook");
        }
        return HookId.of(id.longValueExact());
    }

    /** The {@code :trigger} of the test route, one of GitLab's {@code ProjectHook.triggers}. */
    static HookTrigger trigger(String text) {
        return Optional.ofNullable(text).flatMap(HookTrigger::fromTestTrigger)
                .orElseThrow(() -> new InvalidParameterException("trigger does not have a valid value"));
    }
}
