package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jobyard.domain.user.User;

/**
 * GitLab's full {@code Entities::User} as embedded in a job. Profile fields Jobyard does not keep are answered as a
 * GitLab user who never filled them in is: empty strings, or null where GitLab has null. The follower fields and
 * {@code is_followed} are conditional in GitLab and left out.
 */
@JsonPropertyOrder({"id", "username", "name", "state", "locked", "avatar_url", "web_url", "created_at", "bio",
        "location", "public_email", "skype", "linkedin", "twitter", "discord", "website_url", "organization",
        "job_title", "pronouns", "bot", "work_information", "local_time"})
public record UserJson(
        @JsonProperty("id") long id,
        @JsonProperty("username") String username,
        @JsonProperty("name") String name,
        @JsonProperty("state") String state,
        @JsonProperty("locked") boolean locked,
        @JsonProperty("avatar_url") String avatarUrl,
        @JsonProperty("web_url") String webUrl,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("bio") String bio,
        @JsonProperty("location") String location,
        @JsonProperty("public_email") String publicEmail,
        @JsonProperty("skype") String skype,
        @JsonProperty("linkedin") String linkedin,
        @JsonProperty("twitter") String twitter,
        @JsonProperty("discord") String discord,
        @JsonProperty("website_url") String websiteUrl,
        @JsonProperty("organization") String organization,
        @JsonProperty("job_title") String jobTitle,
        @JsonProperty("pronouns") String pronouns,
        @JsonProperty("bot") boolean bot,
        @JsonProperty("work_information") String workInformation,
        @JsonProperty("local_time") String localTime) {

    public static UserJson from(User user, WebUrls urls) {
        if (user == null) {
            return null;
        }
        return new UserJson(user.id().value(), user.username(), user.name(), user.state().wireName(), false, null,
                urls.user(user.username()), ApiTime.utc(user.createdAt()), "", "", null, "", "", "", "", "", "", "",
                null, user.bot(), null, null);
    }
}
