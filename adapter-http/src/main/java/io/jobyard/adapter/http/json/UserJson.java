package io.jobyard.adapter.http.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.jobyard.domain.user.User;

/**
 * GitLab's full {@code Entities::User} as embedded in a job: {@link UserBasicJson} and the profile. Profile fields
 * Jobyard does not keep are answered as a GitLab user who never filled them in is: empty strings, or null where GitLab
 * has null. The follower fields and {@code is_followed} are conditional in GitLab and left out.
 */
@JsonPropertyOrder({"basic", "created_at", "bio", "location", "public_email", "skype", "linkedin", "twitter",
        "discord", "website_url", "organization", "job_title", "pronouns", "bot", "work_information", "local_time"})
public record UserJson(
        @JsonUnwrapped UserBasicJson basic,
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
        return new UserJson(UserBasicJson.from(user, urls), ApiTime.utc(user.createdAt()), "", "", null, "", "", "", "",
                "", "", "", null, user.bot(), null, null);
    }
}
