package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.params.FormEncoding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pagination {@code Link} URLs the way GitLab builds them: the request's URL on the configured origin, with every
 * query parameter the client sent plus the paging ones, serialized like Rails' {@code to_query} (each top-level
 * parameter escaped with {@code CGI.escape}, then sorted). GitBeaker re-sends only the query of the link, so it must
 * carry every original parameter.
 */
final class PageLinks {
    private PageLinks() {
    }

    /** The query with {@code replacements} (page, per_page, cursor) set and everything else as sent. */
    static String query(List<FormEncoding.Pair> sent, Map<String, String> replacements) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (FormEncoding.Pair pair : sent) {
            String top = topLevel(pair.key());
            if (replacements.containsKey(top)) {
                continue;
            }
            groups.computeIfAbsent(top, k -> new ArrayList<>())
                    .add(FormEncoding.escape(pair.key()) + "=" + FormEncoding.escape(pair.value()));
        }
        replacements.forEach((key, value) -> groups.put(key,
                List.of(FormEncoding.escape(key) + "=" + FormEncoding.escape(value))));
        List<String> parts = new ArrayList<>();
        groups.values().forEach(group -> parts.add(String.join("&", group)));
        parts.sort(null);
        return String.join("&", parts);
    }

    static String link(String selfUrl, String query, String rel) {
        return "<" + selfUrl + "?" + query + ">; rel=\"" + rel + "\"";
    }

    private static String topLevel(String key) {
        int bracket = key.indexOf('[');
        return bracket <= 0 ? key : key.substring(0, bracket);
    }
}
