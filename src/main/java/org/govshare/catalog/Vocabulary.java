package org.govshare.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compilation guide's vocabularies: the codes the API speaks, the Chinese labels the CSV
 * export writes, and the digits a classification code is built from. Order matters: a subject's
 * position in its category is the "item" digits of the code (ADR 0003).
 */
public final class Vocabulary {
  private Vocabulary() {}

  public static final Map<String, String> CATEGORIES = ordered(
      "BASE", "基础信息资源",
      "THEMATIC", "主题信息资源",
      "DEPARTMENTAL", "部门信息资源");

  public static final Map<String, String> BASE_SUBJECTS = ordered(
      "POPULATION", "人口",
      "LEGAL_ENTITY", "法人单位",
      "NATURAL_RESOURCES_GEO", "自然资源和空间地理",
      "SOCIAL_CREDIT", "社会信用",
      "E_LICENCE", "电子证照");

  public static final Map<String, String> THEMATIC_SUBJECTS = ordered(
      "HEALTH", "医疗健康",
      "SOCIAL_SECURITY", "社会保障",
      "FOOD_DRUG_SAFETY", "食品药品安全",
      "WORK_SAFETY", "安全生产",
      "PRICE_SUPERVISION", "价格监管",
      "ENERGY_SECURITY", "能源安全",
      "URBAN_RURAL_CONSTRUCTION", "城乡建设",
      "COMMUNITY_GOVERNANCE", "社区治理",
      "ECOLOGY_ENVIRONMENT", "生态环境",
      "EMERGENCY_STABILITY", "应急维稳");

  public static final Map<String, String> FORMAT_CLASSES = ordered(
      "ELECTRONIC_FILE", "电子文件",
      "SPREADSHEET", "电子表格",
      "DATABASE", "数据库",
      "IMAGE", "图形图像",
      "STREAMING_MEDIA", "流媒体",
      "SELF_DESCRIBING", "自描述格式",
      "SERVICE_INTERFACE", "服务接口");

  public static final Map<String, String> SHARE_TYPES = ordered(
      "UNCONDITIONAL", "无条件共享",
      "CONDITIONAL", "有条件共享",
      "NOT_SHARED", "不予共享");

  public static final Map<String, String> SHARE_METHODS = ordered(
      "PLATFORM_API", "共享平台/接口",
      "PLATFORM_FILE", "共享平台/文件",
      "PLATFORM_DATABASE", "共享平台/数据库",
      "EMAIL", "邮件",
      "MEDIA", "介质");

  public static final Map<String, String> OPEN_TYPES = ordered(
      "OPEN", "是",
      "CONDITIONAL_OPEN", "有条件开放",
      "NOT_OPEN", "否");

  public static final Map<String, String> UPDATE_PERIODS = ordered(
      "REALTIME", "实时",
      "DAILY", "每日",
      "WEEKLY", "每周",
      "MONTHLY", "每月",
      "QUARTERLY", "每季度",
      "HALF_YEARLY", "每半年",
      "YEARLY", "每年",
      "IRREGULAR", "不定期");

  /** Department kinds in the order of the "item" digits of a DEPARTMENTAL classification. */
  public static final List<String> DEPARTMENT_KINDS = List.of("DEPARTMENT", "TOWNSHIP", "SUBDISTRICT", "INDUSTRIAL_ZONE", "BUREAU");

  public static Map<String, String> subjectsOf(String category) {
    return switch (category) {
      case "BASE" -> BASE_SUBJECTS;
      case "THEMATIC" -> THEMATIC_SUBJECTS;
      default -> Map.of();
    };
  }

  public static int classDigit(String category) {
    return position(CATEGORIES, category);
  }

  public static int subjectNumber(String category, String subject) {
    return position(subjectsOf(category), subject);
  }

  public static int departmentKindNumber(String kind) {
    int i = DEPARTMENT_KINDS.indexOf(kind);
    if (i < 0) {
      throw new IllegalArgumentException("unknown department kind " + kind);
    }
    return i + 1;
  }

  public static String label(Map<String, String> vocabulary, String code) {
    return code == null ? "" : vocabulary.getOrDefault(code, code);
  }

  private static int position(Map<String, String> vocabulary, String code) {
    int i = 1;
    for (String k : vocabulary.keySet()) {
      if (k.equals(code)) {
        return i;
      }
      i++;
    }
    throw new IllegalArgumentException(code + " is not in the vocabulary");
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
