package io.jobyard.bootstrap;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Raw settings from two sources: environment variables named {@code JOBYARD_<SETTING>} and an optional properties
 * file (named by {@code JOBYARD_CONFIG_FILE}) whose keys are the setting names in lower case ({@code db_url}).
 * The environment wins.
 */
final class Settings {
    static final String PREFIX = "JOBYARD_";
    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    static Settings from(Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>();
        String file = environment.get(PREFIX + "CONFIG_FILE");
        if (file != null && !file.isBlank()) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file))) {
                properties.load(reader);
            } catch (IOException | RuntimeException e) {
                throw new ConfigurationException(PREFIX + "CONFIG_FILE", "cannot read '" + file + "' ("
                        + e.getClass().getSimpleName() + ")");
            }
            for (String key : properties.stringPropertyNames()) {
                merged.put(PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_'), properties.getProperty(key).trim());
            }
        }
        environment.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                merged.put(key, value.trim());
            }
        });
        return new Settings(merged);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(PREFIX + name)).filter(v -> !v.isEmpty());
    }

    String name(String setting) {
        return PREFIX + setting;
    }
}
