package io.jobyard.domain.pipeline.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitLab's wording of a configuration entry's error ({@code Gitlab::Config::Entry::Validator#messages}): the entry's
 * location ({@code jobs:build:artifacts}), the ActiveModel full message ({@code "<humanized attribute> <message>"}),
 * the whole lower-cased — job names and keys included — and a job name in "config should implement" put back with
 * its underscores.
 */
final class LintMessage {
    private static final Pattern JOB_NAME_IN_IMPLEMENT =
            Pattern.compile("jobs ([a-z\\s]+) config should implement");

    private LintMessage() {
    }

    /** {@code errors.add(:config, message)}. */
    static String config(String location, String message) {
        return attribute(location, "config", message);
    }

    /** {@code errors.add(attribute, message)} on the entry at {@code location}. */
    static String attribute(String location, String attribute, String message) {
        String full = (location + " " + humanAttributeName(attribute) + " " + message).toLowerCase(Locale.ROOT);
        Matcher matcher = JOB_NAME_IN_IMPLEMENT.matcher(full);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1).replaceAll("\\s", "_");
            matcher.appendReplacement(out, Matcher.quoteReplacement("jobs " + name + " config should implement"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * ActiveModel's {@code human_attribute_name} without translations: the part after the last dot, humanized
     * (underscores to spaces, leading spaces dropped, a trailing {@code _id} dropped).
     */
    static String humanAttributeName(String attribute) {
        String name = attribute;
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            name = name.substring(dot + 1);
        }
        String human = name.replace('_', ' ').stripLeading();
        if (name.endsWith("_id") && human.endsWith(" id")) {
            human = human.substring(0, human.length() - 3);
        }
        return human;
    }

    /** A Node's location ({@code Gitlab::Config::Entry::Node#location}): a blank key reads as the entry's kind. */
    static String child(String parentLocation, String key, String blankKeyName) {
        String name = key == null || key.isBlank() ? blankKeyName : key;
        return parentLocation == null ? name : parentLocation + ":" + name;
    }
}
