package org.govshare.catalog;

/**
 * A data item with its effective share type: the item's own when it has one, the resource's
 * otherwise. A CONDITIONAL resource may share some items UNCONDITIONALLY and withhold others as
 * NOT_SHARED (with their {@code notSharedBasis}).
 */
public record SharedItem(String key, String name, String shareType, String notSharedBasis, boolean isKey, boolean sensitive) {}
