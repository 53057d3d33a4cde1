package io.jobyard.adapter.http.admin;

import io.jobyard.adapter.http.endpoint.ApiRequest;
import io.jobyard.adapter.http.endpoint.Endpoint;
import io.jobyard.adapter.http.endpoint.KeysetCursor;
import io.jobyard.adapter.http.endpoint.KeysetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPageReply;
import io.jobyard.adapter.http.endpoint.OffsetPaging;
import io.jobyard.adapter.http.params.Params;
import io.jobyard.adapter.http.pipeline.ListParams;
import io.jobyard.adapter.http.reply.Reply;
import io.jobyard.application.port.in.KeysetPage;
import io.jobyard.application.port.in.ListPage;
import io.jobyard.application.port.in.admin.AccessTokensUseCase.TokenFilter;
import io.jobyard.application.port.in.admin.AccessTokensUseCase;
import io.jobyard.application.port.out.UserRepository.TokenOrder;
import io.jobyard.application.port.out.UserRepository.TokenState;
import io.jobyard.domain.user.AccessToken;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /personal_access_tokens}: GitLab's {@code user_id}, {@code state} ({@code active}/{@code inactive}),
 * {@code revoked}, {@code created_before}/{@code _after}, {@code last_used_before}/{@code _after},
 * {@code expires_before}/{@code _after}, {@code search}, {@code sort} and offset paging with totals. An unknown
 * {@code sort} leaves GitLab's order (by id), as its finder ignores what it does not know. Keyset pages
 * ({@code pagination=keyset}, Jobyard's) walk the orders by id, with every filter; other orders answer GitLab's
 * "not yet available" 405.
 */
public final class ListTokensEndpoint implements Endpoint {
    private static final Map<String, TokenState> STATES = Map.of("active", TokenState.ACTIVE,
            "inactive", TokenState.INACTIVE);
    /** GitLab's {@code PersonalAccessToken.simple_sorts} that apply to tokens. */
    private static final Map<String, TokenOrder> SORTS = Map.ofEntries(
            Map.entry("id_asc", TokenOrder.ID_ASC), Map.entry("id_desc", TokenOrder.ID_DESC),
            Map.entry("created_asc", TokenOrder.CREATED_ASC), Map.entry("created_at_asc", TokenOrder.CREATED_ASC),
            Map.entry("created_date", TokenOrder.CREATED_DESC), Map.entry("created_desc", TokenOrder.CREATED_DESC),
            Map.entry("created_at_desc", TokenOrder.CREATED_DESC), Map.entry("name_asc", TokenOrder.NAME_ASC),
            Map.entry("name_desc", TokenOrder.NAME_DESC), Map.entry("expires_asc", TokenOrder.EXPIRES_ASC),
            Map.entry("expires_at_asc_id_desc", TokenOrder.EXPIRES_ASC),
            Map.entry("expires_desc", TokenOrder.EXPIRES_DESC), Map.entry("last_used_asc", TokenOrder.LAST_USED_ASC),
            Map.entry("last_used_desc", TokenOrder.LAST_USED_DESC));

    private final AccessTokensUseCase tokens;

    public ListTokensEndpoint(AccessTokensUseCase tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    @Override
    public Reply handle(ApiRequest request) {
        Params params = request.params();
        Optional<BigInteger> userId = params.integer("user_id");
        boolean userIdBlank = userId.isEmpty() && params.get("user_id").isPresent();
        TokenFilter filter = new TokenFilter(
                userId.map(ListTokensEndpoint::clamped).orElse(null), userIdBlank,
                ListParams.choice(params, "state", STATES).orElse(null),
                params.bool("revoked").orElse(null),
                ListParams.dateTime(params, "created_before").orElse(null),
                ListParams.dateTime(params, "created_after").orElse(null),
                ListParams.dateTime(params, "last_used_before").orElse(null),
                ListParams.dateTime(params, "last_used_after").orElse(null),
                date(params, "expires_before"), date(params, "expires_after"),
                params.text("search").orElse(null),
                params.text("sort").map(SORTS::get).orElse(TokenOrder.ID_ASC));
        if (KeysetPageReply.requested(request)) {
            KeysetPage<AccessToken> page = tokens.list(request.actor(), filter, KeysetPageReply.byId(request));
            String next = page.hasNext() ? KeysetCursor.encodeId(page.items().get(page.items().size() - 1).id())
                    : null;
            return KeysetPageReply.of(body(page.items(), request), next, request);
        }
        OffsetPaging paging = OffsetPaging.read(params);
        ListPage<AccessToken> page = tokens.list(request.actor(), filter, paging.pagination());
        return OffsetPageReply.of(body(page.items(), request), page.hasNext(), page.total(), paging, request);
    }

    private static List<PersonalAccessTokenJson> body(List<AccessToken> found, ApiRequest request) {
        return found.stream().map(token -> PersonalAccessTokenJson.from(token, request.now())).toList();
    }

    /** An id beyond a long names nobody, as one that is not positive does. */
    private static long clamped(BigInteger value) {
        return value.bitLength() > 63 ? -1 : value.longValue();
    }

    /** A Grape {@code Date}: {@code YYYY-MM-DD}, else "&lt;name&gt; is invalid". */
    private static LocalDate date(Params params, String name) {
        Optional<String> text = params.text(name).map(String::trim).filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(text.get());
        } catch (DateTimeParseException notADate) {
            throw Params.invalid(name);
        }
    }
}
