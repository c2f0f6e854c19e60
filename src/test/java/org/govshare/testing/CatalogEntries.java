package org.govshare.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Valid catalogue entries to start from; tests break one rule at a time on a copy. */
public final class CatalogEntries {
  private CatalogEntries() {}

  public static JsonObject item(String key, String name, String dataType, Integer length) {
    return new JsonObject().put("key", key).put("name", name).put("dataType", dataType).put("length", length);
  }

  public static JsonObject base(String provider, String name) {
    return new JsonObject()
        .put("name", name)
        .put("summary", "全县户籍人口的基本信息，由公安部门登记维护")
        .put("category", "BASE")
        .put("subject", "POPULATION")
        .put("provider", provider)
        .put("format", new JsonObject().put("class", "DATABASE").put("subtype", "PostgreSQL"))
        .put("items", new JsonArray()
            .add(item("id_number", "公民身份号码", "C", 18).put("isKey", true).put("sensitive", true))
            .add(item("name", "姓名", "C", 50))
            .add(item("birth_date", "出生日期", "D", null)))
        .put("shareType", "UNCONDITIONAL")
        .put("shareMethod", "PLATFORM_API")
        .put("openType", "NOT_OPEN")
        .put("updatePeriod", "REALTIME")
        .put("usageRequirements", "仅用于政务服务")
        .put("relatedResources", new JsonArray())
        .put("classified", false)
        .put("access", new JsonObject().put("mode", "HOSTED"));
  }

  public static JsonObject thematic(String provider, String name) {
    return base(provider, name).put("category", "THEMATIC").put("subject", "HEALTH").put("shareType", "CONDITIONAL")
        .put("summary", "医疗卫生专题数据")
        .put("shareCondition", "卫生健康相关部门经审批后使用").put("updatePeriod", "DAILY");
  }

  public static JsonObject departmental(String provider, String name) {
    return base(provider, name).put("category", "DEPARTMENTAL").putNull("subject").put("shareType", "CONDITIONAL")
        .put("summary", "本部门业务办理中形成的数据")
        .put("shareCondition", "限本县行政审批部门").put("updatePeriod", "MONTHLY")
        .put("format", new JsonObject().put("class", "SPREADSHEET").put("subtype", "xlsx"));
  }

  /** The path and query with non-ASCII characters percent-encoded as UTF-8. */
  public static String url(String pathAndQuery) {
    StringBuilder sb = new StringBuilder();
    pathAndQuery.codePoints().forEach(cp -> {
      if (cp < 128) {
        sb.appendCodePoint(cp);
      } else {
        sb.append(URLEncoder.encode(new String(Character.toChars(cp)), StandardCharsets.UTF_8));
      }
    });
    return sb.toString();
  }

  /** A path segment for a code: its '/' percent-encoded. */
  public static String path(String code) {
    return "/api/v1/catalog/resources/" + URLEncoder.encode(code, StandardCharsets.UTF_8);
  }
}
