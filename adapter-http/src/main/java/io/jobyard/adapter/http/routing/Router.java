package io.jobyard.adapter.http.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the route for a method and a raw path: the first route, in the order added, whose template matches (GitLab
 * mounts job artifacts before jobs, so by-ref artifact routes win over {@code :job_id} routes). Every GET route also
 * answers HEAD, as Grape does.
 *
 * @param <T> what a route carries (the endpoint and its access rule)
 */
public final class Router<T> {
    private final List<Route<T>> routes;

    private Router(List<Route<T>> routes) {
        this.routes = List.copyOf(routes);
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** One route: a method, a template and what it serves. */
    public record Route<T>(String method, PathPattern pattern, T target) {
        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(target, "target");
        }

        boolean answers(String requestMethod) {
            return method.equals(requestMethod) || (method.equals("GET") && requestMethod.equals("HEAD"));
        }
    }

    /** The outcome of routing. */
    public sealed interface Resolution<T> {
    }

    /** A route serves this method and path; {@code rawParams} are still percent-encoded. */
    public record Matched<T>(Route<T> route, Map<String, String> rawParams) implements Resolution<T> {
    }

    /**
     * The path is known but not for this method. {@code allowed} lists what is (Grape's {@code Allow} header);
     * {@code neighbor} is the first route of that path, whose access rule still runs first in Grape.
     */
    public record WrongMethod<T>(Set<String> allowed, Route<T> neighbor) implements Resolution<T> {
    }

    /** No route has this path. */
    public record Unmatched<T>() implements Resolution<T> {
    }

    public Resolution<T> resolve(String method, String rawPath) {
        Route<T> neighbor = null;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route<T> route : routes) {
            Optional<Map<String, String>> params = route.pattern().match(rawPath);
            if (params.isEmpty()) {
                continue;
            }
            if (route.answers(method)) {
                return new Matched<>(route, params.get());
            }
            if (neighbor == null) {
                neighbor = route;
            }
            if (route.pattern().template().equals(neighbor.pattern().template())) {
                allowed.add(route.method());
                if (route.method().equals("GET")) {
                    allowed.add("HEAD");
                }
            }
        }
        if (neighbor == null) {
            return new Unmatched<>();
        }
        Set<String> withOptions = new LinkedHashSet<>();
        withOptions.add("OPTIONS");
        withOptions.addAll(allowed);
        return new WrongMethod<>(withOptions, neighbor);
    }

    public List<Route<T>> routes() {
        return routes;
    }

    public static final class Builder<T> {
        private final List<Route<T>> routes = new ArrayList<>();

        public Builder<T> add(String method, String template, T target) {
            routes.add(new Route<>(method, PathPattern.compile(template), target));
            return this;
        }

        public Router<T> build() {
            return new Router<>(routes);
        }
    }
}
