package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.params.ParamValue;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.domain.error.InvalidParameterException;
import io.jobyard.domain.job.JobStatus;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code scope} filter of the job lists. Grape coerces it: a string is one value, an array is its values, a hash
 * ({@code scope[a]=x}) its values on the project job list only — the pipeline job list coerces a hash to
 * {@code ["unknown"]} and so refuses it. Every value must be a status; {@code scope=a,b} is one invalid value.
 * Empty values are dropped and no values means no filter.
 */
final class ScopeParam {
    static final String INVALID = "scope does not have a valid value";

    private ScopeParam() {
    }

    static Set<JobStatus> read(Params params, boolean hashAllowed) {
        Optional<ParamValue> value = params.get("scope");
        if (value.isEmpty()) {
            return Set.of();
        }
        List<String> names = new ArrayList<>();
        ParamValue given = value.get();
        if (given instanceof ParamValue.Text text) {
            names.add(text.value());
        } else if (given instanceof ParamValue.Repeated repeated) {
            names.addAll(repeated.values());
        } else if (given instanceof ParamValue.Items items) {
            items.items().forEach(item -> names.add(textOrUnknown(item)));
        } else if (given instanceof ParamValue.Fields fields) {
            if (hashAllowed) {
                fields.fields().values().forEach(item -> names.add(textOrUnknown(item)));
            } else {
                names.add("unknown");
            }
        }
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (String name : names) {
            if (name.isEmpty()) {
                continue;
            }
            statuses.add(JobStatus.fromWireName(name).orElseThrow(() -> new InvalidParameterException(INVALID)));
        }
        return statuses;
    }

    private static String textOrUnknown(ParamValue value) {
        return value instanceof ParamValue.Text text ? text.value() : "unknown";
    }
}
