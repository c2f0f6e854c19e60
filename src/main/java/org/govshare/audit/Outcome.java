package org.govshare.audit;

public enum Outcome {
  OK,
  DENIED,
  FAILED
}
