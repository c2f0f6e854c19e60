package org.govshare.sharing;

import java.util.List;

/**
 * The provider's decision as the route read it; {@code items} null means "all requested";
 * {@code clearItems} null means none (every sensitive item stays masked for the consumer). The end
 * date stays text so a bad date is answered only after 404, 403 and 409.
 */
public record DecideApplication(boolean approve, String reason, List<String> items, String conditions, String validUntil,
    List<String> clearItems) {
  public DecideApplication {
    items = items == null ? null : List.copyOf(items);
    clearItems = clearItems == null ? null : List.copyOf(clearItems);
  }
}
