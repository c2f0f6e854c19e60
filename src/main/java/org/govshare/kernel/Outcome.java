package org.govshare.kernel;

public enum Outcome {
  OK,
  DENIED,
  FAILED
}
