package org.govshare.catalog;

import java.time.OffsetDateTime;

/** A catalogue entry changed (edited, published, retired) at {@code at}, by the database's clock. */
public record EntryChange(String code, OffsetDateTime at) {}
