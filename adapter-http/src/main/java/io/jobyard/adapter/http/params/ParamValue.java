package io.jobyard.adapter.http.params;

import java.util.List;
import java.util.Map;

/**
 * A request parameter as Rack and Grape see it: text, a list ({@code scope[]=a}), a hash ({@code scope[a]=x}), or
 * JSON null. {@link Repeated} keeps a plain key sent more than once ({@code scope=a&scope=b}), which clients use for
 * arrays; scalar readers take its last value, as Rack would.
 */
public sealed interface ParamValue {

    record Text(String value) implements ParamValue {
    }

    record Repeated(List<String> values) implements ParamValue {
    }

    record Items(List<ParamValue> items) implements ParamValue {
    }

    record Fields(Map<String, ParamValue> fields) implements ParamValue {
    }

    record Blank() implements ParamValue {
    }

    /** Rack's name for the shape, used in its type-conflict message. */
    default String rackType() {
        if (this instanceof Items || this instanceof Repeated) {
            return "Array";
        }
        if (this instanceof Fields) {
            return "Hash";
        }
        return this instanceof Blank ? "NilClass" : "String";
    }
}
