#!/usr/bin/env bash
# The data-plane load scenario (Gatling, DataPlaneSimulation) against a fresh govshare started here
# on 127.0.0.1 with -Xmx512m and its own data directory; stopped afterwards. Bounded: 16 users x
# 500 calls + 125 refused calls by default, at most 10 minutes. Extra arguments go to Maven, e.g.
#   load-tests/dataplane/run.sh -Dusers=32 -Diterations=2000 -Drecords=100000
# Run from anywhere; needs Java 17, Maven, curl (builds target/govshare.jar if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=${GOVSHARE_JAR:-$repo/target/govshare.jar}
if [[ ! -f "$jar" ]]; then
  (cd "$repo" && mvn -B -q -DskipTests package)
fi
dir=$(mktemp -d /tmp/govshare-dataplane-load.XXXXXX)
port=$((20000 + RANDOM % 12000))
secret=load-$RANDOM-$RANDOM-admin-secret
GOVSHARE_DB_CONNECT_TIMEOUT_MS=30000 GOVSHARE_DB_POOL_WAIT_TIMEOUT_MS=30000 GOVSHARE_DB_QUERY_TIMEOUT_MS=60000 \
  GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$port GOVSHARE_DATA_DIR=$dir/data GOVSHARE_DB_EMBEDDED_PORT=$((port + 1)) \
  GOVSHARE_ADMIN_SECRET=$secret GOVSHARE_ACCESS_LOG_LEVEL=OFF java -Xmx512m -jar "$jar" >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 240); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready" && break
  kill -0 $pid 2>/dev/null || { tail -30 "$dir/server.log"; exit 1; }
  sleep 0.5
done
echo "govshare on 127.0.0.1:$port (log $dir/server.log); load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
mvn -B -f "$repo/load-tests/pom.xml" gatling:test -Dgatling.simulationClass=org.govshare.load.DataPlaneSimulation \
  -Dgovshare.url="http://127.0.0.1:$port" -Dgovshare.adminSecret="$secret" "$@" || status=$?
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
