package io.jobyard.adapter.http.pipeline;

import io.jobyard.adapter.http.endpoint.ParamValues;
import io.jobyard.adapter.http.params.Params;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The parameter types of the pipeline list, read as Grape coerces and validates them. */
public final class ListParams {
    private ListParams() {
    }

    /** See {@link ParamValues#choice}. */
    public static <T> Optional<T> choice(Params params, String name, Map<String, T> values) {
        return ParamValues.choice(params, name, values);
    }

    /** See {@link ParamValues#dateTime}. */
    public static Optional<Instant> dateTime(Params params, String name) {
        return ParamValues.dateTime(params, name);
    }
}
