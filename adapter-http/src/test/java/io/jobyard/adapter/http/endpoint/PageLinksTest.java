package io.jobyard.adapter.http.endpoint;

import io.jobyard.adapter.http.params.FormEncoding;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rails' to_query: CGI-escaped, top-level parameters sorted, array elements in the order sent. */
class PageLinksTest {
    @Test
    void keepsEveryParameterSortedWithThePagingOnesReplaced() {
        Map<String, String> paging = new LinkedHashMap<>();
        paging.put("page", "3");
        paging.put("per_page", "100");
        String query = PageLinks.query(FormEncoding.parse(
                "scope[]=running&scope[]=failed&per_page=500&page=2&private_token=x&name=a+b"), paging);
        assertThat(query).isEqualTo(
                "name=a+b&page=3&per_page=100&private_token=x&scope%5B%5D=running&scope%5B%5D=failed");
    }

    @Test
    void aLinkNamesItsRelation() {
        assertThat(PageLinks.link("https://h/api/v4/projects/1/jobs", "page=2", "next"))
                .isEqualTo("<https://h/api/v4/projects/1/jobs?page=2>; rel=\"next\"");
    }
}
