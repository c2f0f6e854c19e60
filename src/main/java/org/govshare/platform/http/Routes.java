package org.govshare.platform.http;

/** A capability's operations, bound to the contract. */
public interface Routes {
  void mount(Api api);
}
