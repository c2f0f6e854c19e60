package org.govshare.sharing;

/** What the consumer will use the data for (notice rule 6). */
public enum Usage {
  ADMINISTRATIVE_BASIS,
  WORK_REFERENCE,
  DATA_VERIFICATION,
  BUSINESS_COLLABORATION
}
