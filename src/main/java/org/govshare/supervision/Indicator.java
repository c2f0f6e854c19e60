package org.govshare.supervision;

/** The yearly evaluation's indicators, each scored 0–100 from a department's {@link Statistics}. */
public enum Indicator {
  CATALOGUE("catalogue"),
  FRESHNESS("freshness"),
  PROVISION("provision"),
  DECISIONS("decisions"),
  OBJECTIONS("objections"),
  USE("use");

  private final String key;

  Indicator(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }
}
