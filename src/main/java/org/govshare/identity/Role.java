package org.govshare.identity;

public enum Role {
  PLATFORM_ADMIN,
  DEPT_ADMIN,
  PROVIDER,
  CONSUMER,
  AUDITOR
}
