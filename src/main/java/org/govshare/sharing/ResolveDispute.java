package org.govshare.sharing;

/** The bureau's resolution of a dispute, as the route read it. */
public record ResolveDispute(Dispute.Status outcome, String note) {}
