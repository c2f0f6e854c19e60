package org.govshare.catalog;

import java.util.List;
import java.util.Optional;

/**
 * A catalogue entry as the sharing rules see it. {@code status}: DRAFT, PUBLISHED or RETIRED.
 * {@code shareType}: UNCONDITIONAL, CONDITIONAL or NOT_SHARED.
 */
public record SharedResource(
    String code,
    String name,
    String provider,
    String status,
    int version,
    String shareType,
    String shareCondition,
    String notSharedBasis,
    List<SharedItem> items) {

  public SharedResource {
    items = List.copyOf(items);
  }

  public Optional<SharedItem> item(String key) {
    return items.stream().filter(i -> i.key().equals(key)).findFirst();
  }

  public boolean published() {
    return "PUBLISHED".equals(status);
  }
}
