package org.govshare.platform.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Raw key/value configuration: the defaults in {@code conf/govshare.properties}, then an optional
 * file named by {@code GOVSHARE_CONFIG}, then environment variables. Read once at start-up and
 * turned into typed records by {@link GovshareConfig}; nothing else reads keys.
 */
public final class Settings {
  private static final String DEFAULTS = "conf/govshare.properties";

  private final Properties values;

  private Settings(Properties values) {
    this.values = values;
  }

  public static Settings load(Map<String, String> env) {
    Properties props = new Properties();
    try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("default configuration " + DEFAULTS + " missing from the classpath");
      }
      props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      String extra = env.get("GOVSHARE_CONFIG");
      if (extra != null && !extra.isBlank()) {
        try (Reader r = Files.newBufferedReader(Path.of(extra), StandardCharsets.UTF_8)) {
          props.load(r);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read configuration: " + e.getMessage(), e);
    }
    for (String key : props.stringPropertyNames()) {
      String fromEnv = env.get(envName(key));
      if (fromEnv != null) {
        props.setProperty(key, fromEnv);
      }
    }
    return new Settings(props);
  }

  public static Settings of(Map<String, String> overrides) {
    Settings base = load(Map.of());
    overrides.forEach(base.values::setProperty);
    return base;
  }

  public static String envName(String key) {
    return "GOVSHARE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String string(String key) {
    String v = values.getProperty(key);
    if (v == null) {
      throw new IllegalStateException("configuration key " + key + " has no default");
    }
    return v.trim();
  }

  public boolean bool(String key) {
    String raw = string(key);
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalStateException(key + " (" + envName(key) + ") must be true or false, got '" + raw + "'");
    };
  }

  public int integer(String key, int min, int max) {
    return (int) longValue(key, min, max);
  }

  public long longValue(String key, long min, long max) {
    String raw = string(key);
    try {
      long v = Long.parseLong(raw);
      if (v < min || v > max) {
        throw new IllegalStateException(key + " (" + envName(key) + ") must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(key + " (" + envName(key) + ") must be a whole number, got '" + raw + "'");
    }
  }
}
