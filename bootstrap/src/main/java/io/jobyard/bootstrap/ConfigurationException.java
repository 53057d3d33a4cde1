package io.jobyard.bootstrap;

/** A setting is missing or invalid. Its message is one line naming the setting; {@link Main} prints only that. */
public final class ConfigurationException extends RuntimeException {
    public ConfigurationException(String setting, String problem) {
        super(setting + ": " + problem);
    }
}
