package org.govshare.sharing;

/** A consumer's dispute of a decision, as the route read it. */
public record OpenDispute(String application, String statement) {}
