package org.govshare.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Holds the server to its contract during the ITs: {@link Http} records every reply (method,
 * path, status, content type), and after each test class every reply that reached an operation
 * must have a status that operation declares, with a declared media type. Registered for every
 * test class through {@code META-INF/services} (autodetection is on in junit-platform.properties).
 */
public final class ContractCoverage implements AfterAllCallback {
  /** One reply as the client saw it. */
  public record Exchange(String method, String path, int status, String contentType, boolean hasBody) {}

  private static final ConcurrentLinkedQueue<Exchange> PENDING = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger CHECKED = new AtomicInteger();
  private static volatile ContractDocument contract;

  static void record(Exchange exchange) {
    PENDING.add(exchange);
  }

  /** How many replies were matched to an operation and checked so far in this JVM. */
  public static int checked() {
    return CHECKED.get();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<Exchange> batch = new ArrayList<>();
    for (Exchange e; (e = PENDING.poll()) != null; ) {
      batch.add(e);
    }
    if (batch.isEmpty()) {
      return;
    }
    if (contract == null) {
      contract = ContractDocument.shipped();
    }
    List<String> problems = problems(contract, batch);
    if (!problems.isEmpty()) {
      throw new AssertionError(problems.size() + " replies of " + context.getDisplayName()
          + " break the contract (src/main/resources/openapi.yaml):\n  " + String.join("\n  ", problems));
    }
  }

  /** What is wrong with these replies; public so a unit test can show the check bites. */
  public static List<String> problems(ContractDocument contract, List<Exchange> exchanges) {
    List<String> problems = new ArrayList<>();
    int api = 0;
    int matched = 0;
    for (Exchange e : exchanges) {
      String bare = e.path().split("\\?", 2)[0];
      if (bare.startsWith("/api/")) {
        api++;
      }
      Optional<ContractDocument.Operation> op = contract.operation(e.method(), e.path());
      if (op.isEmpty()) {
        continue; // no such operation (a 404 or 405 the router gives): nothing declared to hold it to
      }
      matched++;
      Map<String, Map<String, Object>> responses = op.get().responses(contract);
      Map<String, Object> declared = responses.get(String.valueOf(e.status()));
      String what = op.get().operationId() + " (" + e.method() + " " + e.path() + ")";
      if (declared == null) {
        problems.add(what + " answered " + e.status() + ", which it does not declare; declared: " + responses.keySet());
        continue;
      }
      var types = ContractDocument.mediaTypes(declared);
      String type = e.contentType() == null ? null : e.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
      if (e.hasBody() && !types.isEmpty() && (type == null || !types.contains(type))) {
        problems.add(what + " answered " + e.status() + " as " + type + "; declared " + types);
      }
    }
    if (api > 0 && matched == 0) {
      problems.add(api + " replies to /api/ paths matched no operation of the contract: the matching itself is broken");
    }
    CHECKED.addAndGet(matched);
    return problems;
  }
}
