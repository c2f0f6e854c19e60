package org.govshare.kernel;

public enum Role {
  PLATFORM_ADMIN,
  DEPT_ADMIN,
  PROVIDER,
  CONSUMER,
  AUDITOR
}
