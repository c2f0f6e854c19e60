package org.govshare.catalog;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.govshare.platform.Problem;
import org.govshare.platform.Problem.FieldError;

/** The one authoritative item of a data element (一数一源). */
public record ElementSource(String element, String code, String itemKey, String itemName, String resourceName, String provider,
    String status) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("element", element)
        .put("resource", code)
        .put("item", itemKey)
        .put("itemName", itemName)
        .put("resourceName", resourceName)
        .put("provider", provider)
        .put("status", status);
  }

  /** A second authoritative declaration: 409, pointing the department to the existing source. */
  public Problem secondSource(String field) {
    String detail = "data element '" + element + "' already has its authoritative source: item '" + itemKey + "' of resource "
        + code + " (" + provider + "); obtain it by sharing and name that resource as sourceResource";
    return new Problem(409, "CONFLICT", "Conflicts with the current state", detail,
        List.of(new FieldError(field, "one datum, one source: " + code + " item " + itemKey + " is the authoritative source")),
        new JsonObject().put("existingSource", toJson()));
  }

  /** The same conflict against another department's unpublished draft: neither the draft nor its department is named. */
  public Problem reserved(String field) {
    String detail = "data element '" + element + "' is reserved by an entry another department is registering; one datum, one"
        + " source: once that entry is published, obtain the datum by sharing";
    return new Problem(409, "CONFLICT", "Conflicts with the current state", detail,
        List.of(new FieldError(field, "one datum, one source: another department's entry reserves '" + element + "'")), null);
  }
}
