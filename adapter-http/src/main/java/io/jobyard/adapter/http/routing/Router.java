package io.jobyard.adapter.http.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the route for a method and a raw path: of the routes whose template matches, the most specific one
 * ({@link PathPattern#compareSpecificity}), so the order routes are added in never decides and adding one cannot
 * hide another. Two routes of one method whose templates have the same shape are refused when the router is built.
 * Every GET route also answers HEAD, as Grape does.
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

        public boolean answers(String requestMethod) {
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
     * {@code neighbor} is the most specific route of that path, whose access rule still runs first in Grape.
     */
    public record WrongMethod<T>(Set<String> allowed, Route<T> neighbor) implements Resolution<T> {
    }

    /** No route has this path. */
    public record Unmatched<T>() implements Resolution<T> {
    }

    public Resolution<T> resolve(String method, String rawPath) {
        Route<T> best = null;
        Map<String, String> bestParams = null;
        Route<T> neighbor = null;
        for (Route<T> route : routes) {
            Optional<Map<String, String>> params = route.pattern().match(rawPath);
            if (params.isEmpty()) {
                continue;
            }
            if (route.answers(method)) {
                if (best == null || route.pattern().compareSpecificity(best.pattern()) > 0) {
                    best = route;
                    bestParams = params.get();
                }
            } else if (neighbor == null || route.pattern().compareSpecificity(neighbor.pattern()) > 0) {
                neighbor = route;
            }
        }
        if (best != null) {
            return new Matched<>(best, bestParams);
        }
        if (neighbor == null) {
            return new Unmatched<>();
        }
        Set<String> allowed = new LinkedHashSet<>();
        allowed.add("OPTIONS");
        for (Route<T> route : routes) {
            if (route.pattern().template().equals(neighbor.pattern().template())) {
                allowed.add(route.method());
                if (route.method().equals("GET")) {
                    allowed.add("HEAD");
                }
            }
        }
        return new WrongMethod<>(allowed, neighbor);
    }

    public List<Route<T>> routes() {
        return routes;
    }

    public static final class Builder<T> {
        private final List<Route<T>> routes = new ArrayList<>();

        /**
         * @throws IllegalArgumentException when a route of this method with a template of the same shape is there
         *                                  already: one of the two could never be reached
         */
        public Builder<T> add(String method, String template, T target) {
            Route<T> route = new Route<>(method, PathPattern.compile(template), target);
            for (Route<T> existing : routes) {
                if (existing.method().equals(method) && existing.pattern().sameShape(route.pattern())) {
                    throw new IllegalArgumentException(method + " " + template + " would shadow (or be shadowed by) "
                            + existing.method() + " " + existing.pattern());
                }
            }
            routes.add(route);
            return this;
        }

        public Router<T> build() {
            return new Router<>(routes);
        }
    }
}
