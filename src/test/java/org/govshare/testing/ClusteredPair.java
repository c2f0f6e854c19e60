package org.govshare.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.govshare.platform.config.GovshareConfig.DbUrl;

/**
 * Two instances clustered over Hazelcast on 127.0.0.1, on the first one's embedded database: what an
 * operator runs, in one JVM. Each start costs seconds, so a test class shares one pair.
 */
public final class ClusteredPair implements AutoCloseable {
  public final TestServer a;
  public final TestServer b;

  private ClusteredPair(TestServer a, TestServer b) {
    this.a = a;
    this.b = b;
  }

  public static ClusteredPair start(Map<String, String> extra) {
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    String name = "it-" + UUID.randomUUID();
    int portA = TestServer.freePort();
    int portB = TestServer.freePort();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    TestServer a = TestServer.start(settings(name, members, portA, extra));
    DbUrl db = a.platform().databaseUrl();
    Map<String, String> second = settings(name, members, portB, extra);
    second.put("db.url", "postgresql://" + db.user() + ":" + db.password() + "@" + db.host() + ":" + db.port() + "/" + db.database());
    try {
      return new ClusteredPair(a, TestServer.start(second));
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  private static Map<String, String> settings(String name, String members, int port, Map<String, String> extra) {
    Map<String, String> s = new HashMap<>(extra);
    s.put("cluster.members", members);
    s.put("cluster.host", "127.0.0.1");
    s.put("cluster.port", String.valueOf(port));
    s.put("cluster.name", name);
    return s;
  }

  @Override
  public void close() {
    b.close();
    a.close();
  }
}
