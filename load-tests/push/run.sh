#!/usr/bin/env bash
# Push latency (C7, issue 11 point 5): commit-to-delivery of SSE events, first with one subscriber
# and a trickle of changes (the baseline), then with SUBSCRIBERS subscribers while ingestion runs at
# RATE records/s. Starts its own server (embedded PostgreSQL, data under /tmp), 127.0.0.1 only, bounded
# (about 2 min), removes everything afterwards. Prints p50/p99 per run and the ratio.
#
# Prerequisites: Java 17, curl, python3; builds target/govshare.jar if missing.
# Usage: load-tests/push/run.sh                       (100 subscribers, 1000 records/s, 30 s)
#   SUBSCRIBERS=100 RATE=1000 DURATION=60 load-tests/push/run.sh
set -euo pipefail
SUBSCRIBERS=${SUBSCRIBERS:-100}
WEBHOOKS=${WEBHOOKS:-20}
RATE=${RATE:-1000}
DURATION=${DURATION:-30}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=${GOVSHARE_JAR:-$repo/target/govshare.jar}
[[ -f "$jar" ]] || (cd "$repo" && mvn -B -q -DskipTests package)
DIR=$(mktemp -d /tmp/govshare-push-bench.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
SECRET=push-bench-secret-0123456789
# the bench's one consumer department holds every stream; durable commits as in production
GOVSHARE_DATA_DIR=$DIR/data GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$PORT GOVSHARE_ADMIN_SECRET=$SECRET \
  GOVSHARE_DB_EMBEDDED_PORT=$((PORT + 1)) GOVSHARE_PUSH_MAX_STREAMS_PER_DEPARTMENT=$((SUBSCRIBERS + 1)) \
  GOVSHARE_WEBHOOK_ALLOWED_HTTP_HOSTS=127.0.0.1 GOVSHARE_WEBHOOK_MAX_PER_DEPARTMENT=$((WEBHOOKS + 1)) \
  GOVSHARE_DB_CONNECT_TIMEOUT_MS=30000 GOVSHARE_DB_POOL_WAIT_TIMEOUT_MS=30000 GOVSHARE_DB_QUERY_TIMEOUT_MS=30000 \
  java -Xmx1g -jar "$jar" > "$DIR/server.log" 2>&1 &
PID=$!
trap 'set +e; kill $PID 2>/dev/null; while kill -0 $PID 2>/dev/null; do sleep 1; done; sleep 2; rm -rf "$DIR"' EXIT
B=http://127.0.0.1:$PORT
until curl -sf $B/health/ready >/dev/null; do
  kill -0 $PID 2>/dev/null || { echo "the server did not start:"; tail -20 "$DIR/server.log"; exit 1; }
  sleep 1
done
json() { python3 -c "import json,sys;print(json.load(sys.stdin)$1)"; }
tok() { curl -sf -X POST $B/api/v1/auth/token -H 'Content-Type: application/json' \
  -d "{\"grant_type\":\"client_credentials\",\"client_id\":\"$1\",\"client_secret\":\"$2\"}" | json '["access_token"]'; }
ADMIN=$(tok admin $SECRET)
mk() { # department, name, role -> token
  curl -sf -X POST $B/api/v1/departments -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"code\":\"$1\",\"name\":\"$2\",\"kind\":\"DEPARTMENT\"}" >/dev/null
  local c; c=$(curl -sf -X POST $B/api/v1/departments/$1/clients -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$2系统\",\"roles\":[\"$3\"]}")
  tok "$(echo "$c" | json '["clientId"]')" "$(echo "$c" | json '["clientSecret"]')"
}
PROVIDER=$(mk ZFJ 执法局 PROVIDER)
CONSUMER=$(mk SPJ 审批局 CONSUMER)
CODE=$(curl -sf -X POST $B/api/v1/catalog/resources -H "Authorization: Bearer $PROVIDER" -H 'Content-Type: application/json' -d @- <<'JSON' | json '["code"]'
{"name":"行政处罚案件","summary":"行政处罚案件的当事人与联系方式","category":"DEPARTMENTAL","provider":"ZFJ",
 "format":{"class":"DATABASE","subtype":"PostgreSQL"},"shareType":"CONDITIONAL","shareCondition":"经审批后使用",
 "shareMethod":"PLATFORM_API","openType":"NOT_OPEN","updatePeriod":"REALTIME","relatedResources":[],"classified":false,
 "access":{"mode":"HOSTED"},"items":[
  {"key":"case_no","name":"案件编号","dataType":"C","length":20,"isKey":true},
  {"key":"name","name":"当事人","dataType":"C","length":50},
  {"key":"phone","name":"联系电话","dataType":"C","length":20,"sensitive":true}]}
JSON
)
ENC=${CODE/\//%2F}
curl -sf -X POST "$B/api/v1/catalog/resources/$ENC/publish" -H "Authorization: Bearer $PROVIDER" >/dev/null
APP=$(curl -sf -X POST $B/api/v1/applications -H "Authorization: Bearer $CONSUMER" -H 'Content-Type: application/json' \
  -d "{\"resource\":\"$CODE\",\"items\":[\"case_no\",\"name\",\"phone\"],\"purpose\":\"核查行政处罚案件当事人信息\",\"usage\":\"DATA_VERIFICATION\"}" | json '["id"]')
curl -sf -X POST "$B/api/v1/applications/$APP/decision" -H "Authorization: Bearer $PROVIDER" -H 'Content-Type: application/json' \
  -d '{"decision":"APPROVE"}' >/dev/null
echo "server pid $PID on $B, resource $CODE"
echo "baseline: 1 subscriber (+1 webhook), 20 records/s in batches of 1 for 20 s"
WEBHOOKS=$((WEBHOOKS > 0 ? 1 : 0)) java "$here/PushLatency.java" "$B" "$PROVIDER" "$CONSUMER" "$CODE" 1 20 20 1 | tee "$DIR/baseline.txt"
echo "loaded: $SUBSCRIBERS subscribers, $WEBHOOKS webhook subscriptions, $RATE records/s in batches of 50 for $DURATION s"
WEBHOOKS=$WEBHOOKS java "$here/PushLatency.java" "$B" "$PROVIDER" "$CONSUMER" "$CODE" "$SUBSCRIBERS" "$RATE" "$DURATION" 50 | tee "$DIR/loaded.txt"
python3 - "$DIR" <<'PY'
import re, sys
def p(f):
    return {m.group(1): (float(m.group(2)), float(m.group(3)))
            for m in re.finditer(r"subscribers? (.+?): \d+ deliveries, p50 ([0-9.]+) ms, p99 ([0-9.]+) ms", open(f).read())}
b, l = p(sys.argv[1] + "/baseline.txt"), p(sys.argv[1] + "/loaded.txt")
for channel in sorted(l):
    if channel in b:
        print("%s: ratio loaded/baseline p50 %.1fx, p99 %.1fx; loaded p99 %.0f ms vs target 200 ms: %s" % (channel,
              l[channel][0] / max(b[channel][0], 0.1), l[channel][1] / max(b[channel][1], 0.1), l[channel][1],
              "met" if l[channel][1] <= 200 else "NOT met"))
PY
