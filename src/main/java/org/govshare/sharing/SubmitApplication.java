package org.govshare.sharing;

import java.util.List;

/**
 * A consumer's application as the route read it. The end date stays text: whether it is a real
 * date is judged in the service, after the caller's right to apply.
 */
public record SubmitApplication(String resource, List<String> items, String purpose, Usage usage, String validUntil) {
  public SubmitApplication {
    items = items == null ? List.of() : List.copyOf(items);
  }
}
