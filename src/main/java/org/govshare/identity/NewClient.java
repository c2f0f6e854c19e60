package org.govshare.identity;

import java.util.List;

/** An API client to create, as the route read it; role names stay text so the service can name each bad one. */
public record NewClient(String name, List<String> roles) {
  public NewClient {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }
}
