package org.govshare.catalog;

import java.util.Optional;

/**
 * Whether this deployment may call a PROXY resource's endpoint (the data plane answers it from the
 * operator's configuration). Asked when an entry is published, for early word to the provider; the
 * data plane asks again at every call, since the configuration may change.
 */
@FunctionalInterface
public interface EndpointPolicy {
  EndpointPolicy ANY = endpoint -> Optional.empty();

  /** Why the endpoint may not be called, or empty when it may. */
  Optional<String> refusal(String endpoint);
}
