package org.govshare.identity;

/** A department to register, as the route read it; the service judges every field. */
public record NewDepartment(String code, String name, String kind, String creditCode) {}
