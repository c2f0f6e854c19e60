package org.govshare.catalog;

import java.util.List;
import java.util.Optional;

/**
 * A search as the store runs it. {@code words}: each must occur in name, summary or an item
 * name. {@code viewer}/{@code seesAll}: drafts are visible to their provider and platform admins
 * only. {@code useGrams} false answers the same query by scanning the text (the benchmark baseline).
 */
public record CatalogSearch(
    List<String> words,
    Optional<String> provider,
    Optional<String> category,
    Optional<String> subject,
    Optional<String> shareType,
    Optional<String> updatePeriod,
    Optional<String> status,
    String viewer,
    boolean seesAll,
    Optional<String> afterCode,
    boolean useGrams) {

  public CatalogSearch {
    words = List.copyOf(words);
  }

  public CatalogSearch after(String code) {
    return new CatalogSearch(words, provider, category, subject, shareType, updatePeriod, status, viewer, seesAll,
        Optional.of(code), useGrams);
  }
}
