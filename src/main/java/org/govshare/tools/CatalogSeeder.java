package org.govshare.tools;

import org.govshare.catalog.Vocabulary;
import org.govshare.catalog.PgCatalogStore;
import org.govshare.catalog.CatalogStore;
import org.govshare.catalog.CatalogRules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.govshare.identity.PgIdentityStore;
import org.govshare.platform.Problem;
import org.govshare.platform.config.GovshareConfig;
import org.govshare.platform.config.GovshareConfig.DbUrl;
import org.govshare.platform.config.GovshareConfig.PoolLimits;
import org.govshare.platform.db.Database;
import org.govshare.platform.db.EmbeddedDatabase;
import org.govshare.platform.db.Migrations;

/**
 * Fills the catalogue of the configured data directory (or GOVSHARE_DB_URL) with N published
 * entries of made-up but plausible county resources, for the search benchmark:
 * {@code java -jar target/govshare.jar seed-catalog 100000}. Run it while no server uses the
 * data directory. Entries go through the catalogue's own rules and store, in batches.
 */
public final class CatalogSeeder {
  static final int BATCH = 500;
  static final int DEPARTMENTS = 60;

  static final String[] TOPICS = {"人口", "户籍", "婚姻", "出生", "死亡", "收养", "殡葬", "社保", "医保", "养老", "就业", "失业", "工伤",
      "企业", "法人", "个体", "税务", "发票", "土地", "房屋", "不动产", "规划", "建设", "交通", "车辆", "驾驶", "水利", "河道", "森林",
      "草原", "环境", "空气", "水质", "噪声", "食品", "药品", "疫苗", "医疗", "卫生", "教育", "学籍", "考试", "文化", "旅游", "体育",
      "民政", "救助", "低保", "残疾", "优抚", "退役", "信用", "失信", "许可", "处罚", "执法", "应急", "消防", "安全", "价格", "能源",
      "电力", "燃气", "供水", "社区", "网格", "农业", "农机", "种子", "畜牧", "渔业", "气象", "地震", "统计", "审计", "财政", "预算",
      "国资", "公积金", "营业执照", "出生医学证明", "食品经营许可"};
  static final String[] QUALIFIERS = {"基本", "综合", "登记", "变更", "注销", "审批", "备案", "年报", "监测", "检查", "核验", "缴纳",
      "发放", "补贴", "申报", "评估", "采集", "巡查", "统计", "办理"};
  static final String[] SUFFIXES = {"信息", "数据", "名录", "明细", "台账", "记录", "清单", "档案"};
  static final String[][] ITEMS = {{"姓名", "C"}, {"公民身份号码", "C"}, {"性别", "C"}, {"出生日期", "D"}, {"民族", "C"}, {"住址", "C"},
      {"联系电话", "C"}, {"统一社会信用代码", "C"}, {"企业名称", "C"}, {"法定代表人", "C"}, {"注册资本", "Y"}, {"成立日期", "D"},
      {"经营范围", "M"}, {"登记机关", "C"}, {"证照编号", "C"}, {"发证日期", "D"}, {"有效期至", "D"}, {"金额", "Y"}, {"数量", "N"},
      {"面积", "F"}, {"经度", "F"}, {"纬度", "F"}, {"状态", "C"}, {"备注", "M"}, {"照片", "I"}, {"办理时间", "T"}};
  static final String[] DEPARTMENT_NAMES = {"公安局", "民政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局",
      "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局", "医疗保障局",
      "统计局", "税务局", "教育局", "财政局", "审计局"};
  static final String[] PERIODS = Vocabulary.UPDATE_PERIODS.keySet().toArray(String[]::new);

  private CatalogSeeder() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    GovshareConfig config = GovshareConfig.fromEnvironment();
    EmbeddedDatabase embedded = null;
    DbUrl url;
    if (config.database().url().isPresent()) {
      url = config.database().url().get();
    } else {
      java.nio.file.Files.createDirectories(config.dataDir());
      embedded = EmbeddedDatabase.start(config.dataDir(), config.database().embeddedPort());
      url = embedded.url();
    }
    Migrations.apply(url);
    Vertx vertx = Vertx.vertx();
    // an offline tool: 500 entries and their grams per transaction, then VACUUM, far past a request's deadline
    Pool pool = Database.pool(vertx, url, new PoolLimits(4, 60_000, 60_000, 1_024, (int) TimeUnit.MINUTES.toMillis(10)));
    try {
      long started = System.nanoTime();
      List<String> departments = await(departments(new PgIdentityStore(pool)));
      PgCatalogStore store = new PgCatalogStore(pool);
      Random random = new Random(20191104L);
      int done = 0;
      while (done < count) {
        int n = Math.min(BATCH, count - done);
        List<CatalogStore.NewResource> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          String provider = departments.get(random.nextInt(departments.size()));
          batch.add(new CatalogStore.NewResource(provider, CatalogRules.normalize(entry(random, provider)), "seed-catalog"));
        }
        done += await(store.createPublished(batch));
        if (done % 10_000 == 0 || done == count) {
          System.out.printf("seeded %d entries in %.1f s%n", done, (System.nanoTime() - started) / 1e9);
        }
      }
      await(pool.query("VACUUM ANALYZE catalog_resource").execute());
      System.out.printf("catalogue now holds %d entries%n",
          await(pool.query("SELECT count(*) FROM catalog_resource").execute()).iterator().next().getLong(0));
    } finally {
      await(pool.close());
      await(vertx.close());
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static Future<List<String>> departments(PgIdentityStore identity) {
    Future<Void> chain = Future.succeededFuture();
    List<String> codes = new ArrayList<>();
    for (int i = 1; i <= DEPARTMENTS; i++) {
      String code = String.format("SEED%02d", i);
      String name = "县" + DEPARTMENT_NAMES[(i - 1) % DEPARTMENT_NAMES.length] + (i > DEPARTMENT_NAMES.length ? (i - 1) / DEPARTMENT_NAMES.length : "");
      String kind = i % 10 == 0 ? "TOWNSHIP" : "DEPARTMENT";
      codes.add(code);
      chain = chain.compose(v -> identity.insertDepartment(code, name, kind, null, org.govshare.audit.AuditOf.one(d -> org.govshare.kernel.AuditEntry.of(
              org.govshare.kernel.Caller.system("catalog-seeder"), org.govshare.kernel.AuditAction.DEPARTMENT_CREATE, null, d.code(),
              org.govshare.kernel.Outcome.OK, d.toJson())))
          .<Void>mapEmpty()
          .recover(e -> e instanceof Problem p && p.status() == 409 ? Future.succeededFuture() : Future.failedFuture(e)));
    }
    return chain.map(codes);
  }

  static JsonObject entry(Random random, String provider) {
    String topic = pick(random, TOPICS);
    String name = topic + pick(random, QUALIFIERS) + pick(random, SUFFIXES);
    int roll = random.nextInt(10);
    String category = roll < 2 ? "BASE" : roll < 5 ? "THEMATIC" : "DEPARTMENTAL";
    String subject = switch (category) {
      case "BASE" -> pick(random, Vocabulary.BASE_SUBJECTS.keySet().toArray(String[]::new));
      case "THEMATIC" -> pick(random, Vocabulary.THEMATIC_SUBJECTS.keySet().toArray(String[]::new));
      default -> null;
    };
    String shareType = "BASE".equals(category) ? "UNCONDITIONAL" : random.nextInt(3) == 0 ? "UNCONDITIONAL" : "CONDITIONAL";
    JsonArray items = new JsonArray();
    items.add(new JsonObject().put("key", "record_no").put("name", topic + "编号").put("dataType", "C").put("length", 32)
        .put("isKey", true));
    int extra = 3 + random.nextInt(8);
    for (int i = 0; i < extra; i++) {
      String[] item = ITEMS[random.nextInt(ITEMS.length)];
      String key = "f" + i;
      items.add(new JsonObject().put("key", key).put("name", item[0]).put("dataType", item[1])
          .put("length", "C".equals(item[1]) || "N".equals(item[1]) ? 64 : null));
    }
    String summary = "本资源记录全县" + topic + pick(random, QUALIFIERS) + "情况，包括" + items.getJsonObject(1).getString("name") + "、"
        + items.getJsonObject(2).getString("name") + "等，由" + provider + "负责维护。";
    return new JsonObject()
        .put("name", name)
        .put("summary", summary)
        .put("category", category)
        .put("subject", subject)
        .put("provider", provider)
        .put("format", new JsonObject().put("class", "DATABASE").put("subtype", "PostgreSQL"))
        .put("items", items)
        .put("shareType", shareType)
        .put("shareCondition", "CONDITIONAL".equals(shareType) ? "经申请审批后向相关部门共享" : null)
        .put("shareMethod", "PLATFORM_API")
        .put("openType", "NOT_OPEN")
        .put("updatePeriod", pick(random, PERIODS))
        .put("access", new JsonObject().put("mode", "HOSTED"));
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
  }
}
