package org.govshare.supervision;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.govshare.platform.CannotStart;

/** The indicators' weights, read once at start from {@code conf/evaluation.properties} (or the file configured) and checked. */
public record EvaluationWeights(Map<Indicator, Integer> weights, String source) {
  static final String SHIPPED = "conf/evaluation.properties";

  public EvaluationWeights {
    weights = Collections.unmodifiableMap(new EnumMap<>(weights));
  }

  public int of(Indicator i) {
    return weights.get(i);
  }

  /** Blocking file read: at start-up, off the event loop. */
  public static EvaluationWeights load(Optional<Path> file) {
    Properties props = new Properties();
    String source = file.map(Path::toString).orElse("classpath:" + SHIPPED);
    try {
      if (file.isPresent()) {
        try (Reader r = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
          props.load(r);
        }
      } else {
        try (InputStream in = EvaluationWeights.class.getClassLoader().getResourceAsStream(SHIPPED)) {
          if (in == null) {
            throw new CannotStart("the evaluation weights " + SHIPPED + " are missing from the classpath");
          }
          props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new CannotStart("cannot read the evaluation weights " + source + ": " + e.getMessage());
    }
    return parse(props, source);
  }

  static EvaluationWeights parse(Properties props, String source) {
    Map<Indicator, Integer> weights = new EnumMap<>(Indicator.class);
    Set<String> unknown = new TreeSet<>(props.stringPropertyNames());
    for (Indicator i : Indicator.values()) {
      String key = "weight." + i.key();
      unknown.remove(key);
      String raw = props.getProperty(key);
      if (raw == null) {
        throw new CannotStart("evaluation weights " + source + ": " + key + " is missing");
      }
      int w;
      try {
        w = Integer.parseInt(raw.trim());
      } catch (NumberFormatException e) {
        throw new CannotStart("evaluation weights " + source + ": " + key + " must be a whole number, got '" + raw.trim() + "'");
      }
      if (w < 0 || w > 100) {
        throw new CannotStart("evaluation weights " + source + ": " + key + " must be between 0 and 100, got " + w);
      }
      weights.put(i, w);
    }
    if (!unknown.isEmpty()) {
      throw new CannotStart("evaluation weights " + source + ": unknown keys " + unknown);
    }
    int sum = weights.values().stream().mapToInt(Integer::intValue).sum();
    if (sum != 100) {
      throw new CannotStart("evaluation weights " + source + " must add up to 100, they add up to " + sum);
    }
    return new EvaluationWeights(weights, source);
  }
}
