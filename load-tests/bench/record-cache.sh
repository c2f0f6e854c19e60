#!/usr/bin/env bash
# GET /api/v1/data/{code}/records/{key} with the record cache on and off, in one run: two govshare
# instances on one embedded PostgreSQL (the first runs it), the same 1,000 records, a consumer reading
# random keys (JWT, grant check, scoping, masking, durable audit). Loopback only, bounded (about
# 2 min + 20 s per round); prints req/s, p50, p99 per round and the ratio on/off. A short check of
# the cache (ADR 0009), not the data plane's benchmark (run.sh and its successors hold that).
#
# Prerequisites: Java 17, Maven (builds target/govshare.jar if missing), curl, jq, python3, wrk.
# Usage: load-tests/bench/record-cache.sh          (3 rounds of 10 s per target, wrk -t2 -c64)
#   ROUNDS=5 DURATION=20s load-tests/bench/record-cache.sh
#   DURABLE=false load-tests/bench/record-cache.sh   (embedded PostgreSQL without fsync: takes the
#   disk out of the comparison, where the audit's group commit waits on it)
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
RECORDS=${RECORDS:-1000}
CONNECTIONS=64

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=${GOVSHARE_JAR:-$repo/target/govshare.jar}
for tool in java wrk curl jq python3; do
  command -v "$tool" >/dev/null || { echo "record-cache: $tool is missing" >&2; exit 2; }
done
[[ -f "$jar" ]] || (cd "$repo" && mvn -B -q -DskipTests package)

work=$(mktemp -d /tmp/govshare-cache-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}
wait_for() { # url log pid
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null "$1" && return
    kill -0 "$3" 2>/dev/null || break
    sleep 0.5
  done
  echo "record-cache: $1 did not come up; its log:" >&2
  tail -30 "$2" >&2
  exit 1
}

on_port=$(free_port); off_port=$(free_port); db_port=$(free_port)
secret=bench-$RANDOM-$RANDOM-admin-secret
launch() { # port data-dir log cache-enabled [db-url]; the admin secret only for the first (it bootstraps)
  local admin_secret=$secret
  [[ -z ${5:-} ]] || admin_secret=
  GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$1 GOVSHARE_DATA_DIR=$2 GOVSHARE_ADMIN_SECRET=$admin_secret \
    GOVSHARE_DB_EMBEDDED_PORT=$db_port GOVSHARE_DB_POOL_WAIT_TIMEOUT_MS=30000 GOVSHARE_DB_QUERY_TIMEOUT_MS=30000 GOVSHARE_DATA_CACHE_ENABLED=$4 GOVSHARE_DB_URL=${5:-} \
    GOVSHARE_DB_EMBEDDED_DURABLE=${DURABLE:-true} \
    java -Xmx512m -jar "$jar" >"$3" 2>&1 &
  pids+=($!)
}
echo "starting the instance with the cache (port $on_port) and its PostgreSQL (port $db_port)"
launch "$on_port" "$work/on" "$work/on.log" true
wait_for "http://127.0.0.1:$on_port/health/ready" "$work/on.log" "${pids[-1]}"
launch "$off_port" "$work/off" "$work/off.log" false \
  "postgresql://postgres:$(cat "$work/on/pg-password.txt")@127.0.0.1:$db_port/postgres"
wait_for "http://127.0.0.1:$off_port/health/ready" "$work/off.log" "${pids[-1]}"
echo "both ready; the cache off on port $off_port; uploading $RECORDS records"

base=http://127.0.0.1:$on_port/api/v1
call() { # method path token [json body]
  local out
  out=$(curl -sS -X "$1" "$base$2" -H "Authorization: Bearer $3" ${4:+-H 'Content-Type: application/json' --data "$4"} -w '\n%{http_code}')
  [[ $(tail -1 <<<"$out") == 2* ]] || { echo "record-cache: $1 $2 answered $out" >&2; exit 1; }
  head -n -1 <<<"$out"
}
token() {
  curl -fsS "$base/auth/token" -H 'Content-Type: application/json' \
    --data "{\"grant_type\":\"client_credentials\",\"client_id\":\"$1\",\"client_secret\":\"$2\"}" | jq -r .access_token
}
admin=$(token admin "$secret")
call POST /departments "$admin" '{"code":"BENCH-PROVIDER","name":"压测提供部门","kind":"DEPARTMENT"}' >/dev/null
call POST /departments "$admin" '{"code":"BENCH-CONSUMER","name":"压测使用部门","kind":"DEPARTMENT"}' >/dev/null
pc=$(call POST /departments/BENCH-PROVIDER/clients "$admin" '{"name":"provider system","roles":["PROVIDER"]}')
cc=$(call POST /departments/BENCH-CONSUMER/clients "$admin" '{"name":"consumer system","roles":["CONSUMER"]}')
provider=$(token "$(jq -r .clientId <<<"$pc")" "$(jq -r .clientSecret <<<"$pc")")
consumer=$(token "$(jq -r .clientId <<<"$cc")" "$(jq -r .clientSecret <<<"$cc")")
entry='{"name":"压测缓存档案","summary":"记录缓存基准测试用的专题资源","category":"THEMATIC","subject":"HEALTH",
  "provider":"BENCH-PROVIDER","format":{"class":"DATABASE","subtype":"PostgreSQL"},
  "items":[{"key":"id","name":"编号","dataType":"C","length":18,"isKey":true},
    {"key":"name","name":"姓名","dataType":"C","length":50,"shareType":"UNCONDITIONAL"},
    {"key":"phone","name":"电话","dataType":"C","length":11,"shareType":"UNCONDITIONAL","sensitive":true},
    {"key":"birth_date","name":"出生日期","dataType":"D","shareType":"UNCONDITIONAL"}],
  "shareType":"CONDITIONAL","shareCondition":"卫生健康相关部门经审批后使用","shareMethod":"PLATFORM_API",
  "openType":"NOT_OPEN","updatePeriod":"DAILY","usageRequirements":"仅用于政务服务","relatedResources":[],
  "classified":false,"access":{"mode":"HOSTED"}}'
code=$(call POST /catalog/resources "$provider" "$entry" | jq -r .code)
encoded=$(jq -rn --arg c "$code" '$c|@uri')
call POST "/catalog/resources/$encoded/publish" "$provider" >/dev/null
python3 - "$RECORDS" >"$work/records.ndjson" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"id": "K%08d" % i, "name": "居民%d" % i, "phone": "138%08d" % i, "birth_date": "1990-01-01"}, ensure_ascii=False))
PY
curl -fsS -X POST "$base/resources/$encoded/records" -H "Authorization: Bearer $provider" \
  -H 'Content-Type: application/x-ndjson' --data-binary @"$work/records.ndjson" | jq -c '{accepted, rejected}'
cat >"$work/keys.lua" <<LUA
local n = $RECORDS
local prefix = "/api/v1/data/$encoded/records/"
request = function()
  return wrk.format("GET", prefix .. string.format("K%08d", math.random(0, n - 1)))
end
LUA
echo "a read: $(curl -fsS "$base/data/$encoded/records/K00000007" -H "Authorization: Bearer $consumer" | jq -c .record)"

measure() { # port duration → "req/s p50_ms p99_ms"; fails on any non-2xx reply
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$2" --latency -s "$work/keys.lua" -H "Authorization: Bearer $consumer" "http://127.0.0.1:$1")
  if grep -q "Non-2xx" <<<"$out"; then echo "record-cache: errors:" >&2; echo "$out" >&2; exit 1; fi
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }' <<<"$out"
}
echo "warming up ($WARMUP each)"
measure "$on_port" "$WARMUP" >/dev/null
measure "$off_port" "$WARMUP" >/dev/null
printf '\n%-6s %-10s %10s %9s %9s\n' round cache "req/s" "p50 ms" "p99 ms"
for round in $(seq 1 "$ROUNDS"); do
  read -r on p50 p99 < <(measure "$on_port" "$DURATION")
  printf '%-6s %-10s %10s %9s %9s\n' "$round" on "$on" "$p50" "$p99"
  read -r off p50 p99 < <(measure "$off_port" "$DURATION")
  printf '%-6s %-10s %10s %9s %9s\n' "$round" off "$off" "$p50" "$p99"
  echo "round $round: cache on / off = $(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.2f", a / b }')"
done
echo "record cache on the 'on' instance: $(curl -fsS "http://127.0.0.1:$on_port/metrics" | grep '^govshare_record_cache_requests_total' | tr '\n' ' ')"
