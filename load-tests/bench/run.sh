#!/usr/bin/env bash
# govshare's authenticated, contract-validated GET /api/v1/grants/check beside its baselines, in
# one run: a bare Vert.x fixed-JSON server (the HTTP ceiling) and a bare Vert.x + PostgreSQL keyed
# lookup. Loopback only, bounded (about 3 min + 1 min per round), prints req/s, p50, p99 and ratios.
#
# Prerequisites: Java 17, Maven (builds target/govshare.jar if missing), curl, jq and wrk
#   (Debian: apt-get install -y wrk curl jq).
# Usage: load-tests/bench/run.sh            (3 rounds of 20 s per target, wrk -t2 -c64)
#   ROUNDS=5 DURATION=30s POOL=16 load-tests/bench/run.sh
#   PROFILE=/tmp/grants.jfr load-tests/bench/run.sh   (adds a JFR-recorded run of govshare after
#   the measured ones and prints the hottest frames and the share of contract validation)
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-45s}
THREADS=2
CONNECTIONS=64
POOL=${POOL:-16}
PROFILE=${PROFILE:-}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=${GOVSHARE_JAR:-$repo/target/govshare.jar}

for tool in java wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y wrk curl jq)" >&2; exit 2; }
done
if [[ ! -f "$jar" ]]; then
  (cd "$repo" && mvn -B -q -DskipTests package)
fi

work=$(mktemp -d /tmp/govshare-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    # below the ephemeral range (32768+), where the embedded PostgreSQL servers take their ports
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
}

wait_for() {
  local url=$1 log=$2
  for _ in $(seq 1 240); do
    if curl -fs -o /dev/null "$url"; then
      return
    fi
    sleep 0.5
  done
  echo "bench: $url did not come up; its log:" >&2
  tail -30 "$log" >&2
  exit 1
}

json_port=$(free_port)
pg_port=$(free_port)
gs_port=$(free_port)
admin_secret=bench-$RANDOM-$RANDOM-admin-secret

java -cp "$jar" "$here/BareJson.java" "$json_port" >"$work/json.log" 2>&1 &
pids+=($!)
java -cp "$jar" "$here/BarePgLookup.java" "$pg_port" "$POOL" "$work/bare-pg" >"$work/pg.log" 2>&1 &
pids+=($!)
GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$gs_port GOVSHARE_DATA_DIR=$work/govshare \
  GOVSHARE_ADMIN_SECRET=$admin_secret GOVSHARE_DB_POOL_SIZE=$POOL \
  java -jar "$jar" >"$work/govshare.log" 2>&1 &
gs_pid=$!
pids+=($gs_pid)

wait_for "http://127.0.0.1:$json_port/" "$work/json.log"
wait_for "http://127.0.0.1:$pg_port/" "$work/pg.log"
wait_for "http://127.0.0.1:$gs_port/health/ready" "$work/govshare.log"

base=http://127.0.0.1:$gs_port/api/v1
call() { # method path token [json body]
  local out
  out=$(curl -sS -X "$1" "$base$2" -H "Authorization: Bearer $3" ${4:+-H 'Content-Type: application/json' --data "$4"} -w '\n%{http_code}')
  if [[ $(tail -1 <<<"$out") != 2* ]]; then
    echo "bench: $1 $2 answered $out" >&2
    exit 1
  fi
  head -n -1 <<<"$out"
}
token() {
  curl -fsS "$base/auth/token" -H 'Content-Type: application/json' \
    --data "{\"grant_type\":\"client_credentials\",\"client_id\":\"$1\",\"client_secret\":\"$2\"}" | jq -r .access_token
}

# a provider with a published resource (two unconditional items, one conditional), a consumer
# holding an approved grant for the conditional one
admin=$(token admin "$admin_secret")
call POST /departments "$admin" '{"code":"BENCH-PROVIDER","name":"压测提供部门","kind":"DEPARTMENT"}' >/dev/null
call POST /departments "$admin" '{"code":"BENCH-CONSUMER","name":"压测使用部门","kind":"DEPARTMENT"}' >/dev/null
provider_client=$(call POST /departments/BENCH-PROVIDER/clients "$admin" '{"name":"provider system","roles":["PROVIDER"]}')
consumer_client=$(call POST /departments/BENCH-CONSUMER/clients "$admin" '{"name":"consumer system","roles":["CONSUMER"]}')
provider=$(token "$(jq -r .clientId <<<"$provider_client")" "$(jq -r .clientSecret <<<"$provider_client")")
consumer=$(token "$(jq -r .clientId <<<"$consumer_client")" "$(jq -r .clientSecret <<<"$consumer_client")")
entry='{"name":"压测健康档案","summary":"基准测试用的医疗卫生专题资源","category":"THEMATIC","subject":"HEALTH",
  "provider":"BENCH-PROVIDER","format":{"class":"DATABASE","subtype":"PostgreSQL"},
  "items":[{"key":"id_number","name":"公民身份号码","dataType":"C","length":18,"isKey":true,"sensitive":true},
    {"key":"name","name":"姓名","dataType":"C","length":50,"shareType":"UNCONDITIONAL"},
    {"key":"birth_date","name":"出生日期","dataType":"D","shareType":"UNCONDITIONAL"}],
  "shareType":"CONDITIONAL","shareCondition":"卫生健康相关部门经审批后使用","shareMethod":"PLATFORM_API",
  "openType":"NOT_OPEN","updatePeriod":"DAILY","usageRequirements":"仅用于政务服务","relatedResources":[],
  "classified":false,"access":{"mode":"HOSTED"}}'
code=$(call POST /catalog/resources "$provider" "$entry" | jq -r .code)
encoded=$(jq -rn --arg c "$code" '$c|@uri')
call POST "/catalog/resources/$encoded/publish" "$provider" >/dev/null
application=$(call POST /applications "$consumer" \
  "{\"resource\":\"$code\",\"items\":[\"id_number\"],\"purpose\":\"核验最低生活保障申请人的家庭收入\",\"usage\":\"DATA_VERIFICATION\"}" | jq -r .id)
call POST "/applications/$application/decision" "$provider" '{"decision":"APPROVE"}' >/dev/null
check_path="/grants/check?resource=$encoded"
answer=$(call GET "$check_path" "$consumer")
echo "grants/check answers: $(jq -c '{items, granted}' <<<"$answer")"

declare -A url=(
  [json]="http://127.0.0.1:$json_port/"
  [pg]="http://127.0.0.1:$pg_port/"
  [govshare]="$base$check_path"
)
declare -A header=([json]="X-Bench: 1" [pg]="X-Bench: 1" [govshare]="Authorization: Bearer $consumer")
targets=(json pg govshare)

# wrk's --latency output → "req/s p50_ms p99_ms"; fails when any reply was not 2xx
measure() {
  local target=$1 duration=$2 out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -H "${header[$target]}" "${url[$target]}")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "bench: $target answered errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }' <<<"$out"
}

echo "warming up ($WARMUP each)"
for t in "${targets[@]}"; do
  measure "$t" "$WARMUP" >/dev/null
done

printf '\n%-6s %-9s %10s %9s %9s\n' round target "req/s" "p50 ms" "p99 ms"
declare -A rps
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  for t in "${targets[@]}"; do
    read -r r p50 p99 < <(measure "$t" "$DURATION")
    rps[$t]=$r
    printf '%-6s %-9s %10s %9s %9s\n' "$round" "$t" "$r" "$p50" "$p99"
  done
  ratios+=("$(awk -v g="${rps[govshare]}" -v p="${rps[pg]}" -v j="${rps[json]}" 'BEGIN { printf "%.2f %.2f %.2f", g / p, g / j, p / j }')")
done

printf '\n%-6s %16s %18s %18s\n' round "govshare / pg" "govshare / json" "pg / json"
for i in "${!ratios[@]}"; do
  read -r a b c <<<"${ratios[$i]}"
  printf '%-6s %16s %18s %18s\n' "$((i + 1))" "$a" "$b" "$c"
done

if [[ -n "$PROFILE" ]]; then
  # a run of its own after the measured ones: starting a recording disturbs the first seconds
  jcmd "$gs_pid" JFR.start name=bench settings=profile filename="$PROFILE" >/dev/null
  sleep 2
  read -r r p50 p99 < <(measure govshare "$DURATION")
  jcmd "$gs_pid" JFR.stop name=bench >/dev/null
  echo
  echo "JFR profile of govshare under the same load ($r req/s while recording): $PROFILE"
  jfr print --events jdk.ExecutionSample --stack-depth 64 "$PROFILE" >"$work/samples.txt"
  awk '
    /stackTrace = \[/ { inside = 1; first = ""; validation = 0; checker = 0; recorder = 0; next }
    inside && /^[[:space:]]*\]/ {
      inside = 0
      if (!recorder) { total++; top[first]++; if (validation) valid++; if (checker) ours++ }
      next
    }
    inside {
      frame = $1; sub(/\(.*/, "", frame)
      if (first == "") first = frame
      if (frame ~ /^io\.vertx\.json\.schema\.|^io\.vertx\.openapi\./) validation = 1
      if (frame ~ /OperationValidator/) checker = 1
      if (frame ~ /^jdk\.jfr\./) recorder = 1
    }
    END {
      printf "%d samples (the recorder left out); %.1f %% with the JSON-schema or OpenAPI library on the stack, %.1f %% in OperationValidator (with reading the query)\n", total, 100 * valid / total, 100 * ours / total
      print "hottest top frames:"
      for (f in top) printf "%6d %5.1f %%  %s\n", top[f], 100 * top[f] / total, f
    }' "$work/samples.txt" | { read -r l1; echo "$l1"; read -r l2; echo "$l2"; sort -rn | head -15; }
fi
