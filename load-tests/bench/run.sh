#!/usr/bin/env bash
# govshare's keyed read GET /api/v1/data/{code}/records/{key} (JWT, contract, grant check, scoping,
# masking, durable audit) beside its baselines, in one run and in alternating rounds, all with the
# same wrk settings (-t2 -c64, a random key of the same person records per request):
#   json      bare Vert.x answering a fixed 200-byte JSON: the HTTP ceiling
#   pg        bare Vert.x + PostgreSQL keyed lookup in a data_record-like table holding the same records
#   cache     govshare as shipped (record cache on, data.cache.enabled=true)
#   nocache   govshare with GOVSHARE_DATA_CACHE_ENABLED=false (every read goes to PostgreSQL)
# For each govshare run it also reports the audit records written per second (audit_log rows
# counted before and after) and the most heap used (jstat). Loopback only, bounded (about 4 min of
# warm-up + 80 s per round), stops everything it started.
#
# Prerequisites: Java 17, Maven (builds target/govshare.jar if missing), python3, curl, jq, psql,
#   wrk (Debian: apt-get install -y wrk curl jq postgresql-client).
# Usage: load-tests/bench/run.sh            (3 rounds of 20 s per target after 45 s of warm-up each)
#   ROUNDS=5 DURATION=30s RECORDS=100000 POOL=16 HEAP=512m load-tests/bench/run.sh
#   PROFILE=/tmp/read.jfr PROFILE_TARGET=nocache load-tests/bench/run.sh   (adds a JFR-recorded run
#   after the measured ones and prints the hottest frames)
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-45s}
RECORDS=${RECORDS:-100000}
THREADS=2
CONNECTIONS=${CONNECTIONS:-64}
POOL=${POOL:-16}
HEAP=${HEAP:-512m}
PROFILE=${PROFILE:-}
PROFILE_TARGET=${PROFILE_TARGET:-cache}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=${GOVSHARE_JAR:-$repo/target/govshare.jar}

for tool in java wrk curl jq psql python3 jstat; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y wrk curl jq postgresql-client)" >&2; exit 2; }
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
    # below the ephemeral range (32768+)
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
}

wait_for() {
  local url=$1 log=$2
  for _ in $(seq 1 480); do
    if curl -fs -o /dev/null "$url"; then
      return
    fi
    sleep 0.5
  done
  echo "bench: $url did not come up; its log:" >&2
  tail -30 "$log" >&2
  exit 1
}

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
python3 "$repo/load-tests/ingest/generate.py" "$RECORDS" "$work/people.ndjson" "$work/people.copy" "$work/keys.txt"

json_port=$(free_port)
pg_port=$(free_port)
admin_secret=bench-$RANDOM-$RANDOM-admin-secret
java -cp "$jar" "$here/BareJson.java" "$json_port" >"$work/json.log" 2>&1 &
pids+=($!)
java -cp "$jar" "$here/BarePgLookup.java" "$pg_port" "$POOL" "$work/bare-pg" "$work/people.copy" >"$work/pg.log" 2>&1 &
pids+=($!)

declare -A gs_port gs_pid gs_pg base
start_govshare() { # name [env assignments...]
  local name=$1
  shift
  gs_port[$name]=$(free_port)
  gs_pg[$name]=$((gs_port[$name] + 1))
  # generous start-up timeouts: on a loaded machine the first connections can take seconds
  env "$@" GOVSHARE_DB_CONNECT_TIMEOUT_MS=30000 GOVSHARE_DB_POOL_WAIT_TIMEOUT_MS=30000 GOVSHARE_DB_QUERY_TIMEOUT_MS=60000 GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=${gs_port[$name]} GOVSHARE_DATA_DIR=$work/$name \
    GOVSHARE_DB_EMBEDDED_PORT=${gs_pg[$name]} GOVSHARE_ADMIN_SECRET=$admin_secret GOVSHARE_DB_POOL_SIZE=$POOL \
    java -Xmx"$HEAP" -jar "$jar" >"$work/$name.log" 2>&1 &
  gs_pid[$name]=$!
  pids+=($!)
  base[$name]=http://127.0.0.1:${gs_port[$name]}/api/v1
}
start_govshare cache
start_govshare nocache GOVSHARE_DATA_CACHE_ENABLED=false

wait_for "http://127.0.0.1:$json_port/" "$work/json.log"
until grep -q "listening" "$work/pg.log"; do sleep 0.5; kill -0 "${pids[1]}" || { cat "$work/pg.log"; exit 1; }; done
wait_for "http://127.0.0.1:${gs_port[cache]}/health/ready" "$work/cache.log"
wait_for "http://127.0.0.1:${gs_port[nocache]}/health/ready" "$work/nocache.log"

call() { # base method path token [json body]
  local out
  out=$(curl -sS -X "$2" "$1$3" -H "Authorization: Bearer $4" ${5:+-H 'Content-Type: application/json' --data "$5"} -w '\n%{http_code}')
  if [[ $(tail -1 <<<"$out") != 2* ]]; then
    echo "bench: $2 $3 answered $out" >&2
    exit 1
  fi
  head -n -1 <<<"$out"
}
token() { # base client secret
  curl -fsS "$1/auth/token" -H 'Content-Type: application/json' \
    --data "{\"grant_type\":\"client_credentials\",\"client_id\":\"$2\",\"client_secret\":\"$3\"}" | jq -r .access_token
}

# Per govshare: a provider with a CONDITIONAL person resource (name unconditional, address
# NOT_SHARED, the resident ID sensitive), the records ingested, and a consumer holding an approved
# grant for id_number and income: its reads are scoped (3 of 6 items) and masked (id_number).
declare -A consumer_token path_prefix
set_up() { # name
  local b=${base[$1]} admin provider consumer pc cc code encoded application
  admin=$(token "$b" admin "$admin_secret")
  call "$b" POST /departments "$admin" '{"code":"BENCH-PROVIDER","name":"压测提供部门","kind":"DEPARTMENT"}' >/dev/null
  call "$b" POST /departments "$admin" '{"code":"BENCH-CONSUMER","name":"压测使用部门","kind":"DEPARTMENT"}' >/dev/null
  # a build with per-department rate limits would otherwise answer most of the load with 429
  curl -s -o /dev/null -X PUT "$b/departments/BENCH-CONSUMER/rate-limit" -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' --data '{"requestsPerSecond":1000000,"burst":1000000}' || true
  pc=$(call "$b" POST /departments/BENCH-PROVIDER/clients "$admin" '{"name":"provider system","roles":["PROVIDER"]}')
  cc=$(call "$b" POST /departments/BENCH-CONSUMER/clients "$admin" '{"name":"consumer system","roles":["CONSUMER"]}')
  provider=$(token "$b" "$(jq -r .clientId <<<"$pc")" "$(jq -r .clientSecret <<<"$pc")")
  consumer=$(token "$b" "$(jq -r .clientId <<<"$cc")" "$(jq -r .clientSecret <<<"$cc")")
  code=$(call "$b" POST /catalog/resources "$provider" '{"name":"低保对象家庭成员","summary":"低保对象家庭成员的基本信息",
    "category":"DEPARTMENTAL","provider":"BENCH-PROVIDER","format":{"class":"DATABASE","subtype":"PostgreSQL"},
    "shareType":"CONDITIONAL","shareCondition":"经审批后使用","shareMethod":"PLATFORM_API","openType":"NOT_OPEN",
    "updatePeriod":"DAILY","relatedResources":[],"classified":false,"access":{"mode":"HOSTED"},"items":[
    {"key":"id_number","name":"公民身份号码","dataType":"C","length":18,"isKey":true,"sensitive":true,"dataElement":"citizen_id_number","authoritative":true},
    {"key":"name","name":"姓名","dataType":"C","length":50,"shareType":"UNCONDITIONAL"},{"key":"birth_date","name":"出生日期","dataType":"D"},
    {"key":"income","name":"月收入","dataType":"N","length":8},
    {"key":"address","name":"住址","dataType":"C","length":200,"shareType":"NOT_SHARED","notSharedBasis":"《个人信息保护法》第二十八条"},
    {"key":"note","name":"备注","dataType":"C","length":200}]}' | jq -r .code)
  encoded=$(jq -rn --arg c "$code" '$c|@uri')
  call "$b" POST "/catalog/resources/$encoded/publish" "$provider" >/dev/null
  curl -fsS -X POST "$b/resources/$encoded/records" -H "Authorization: Bearer $provider" \
    -H 'Content-Type: application/x-ndjson' -T "$work/people.ndjson" | jq -c '{accepted, rejected}' | sed "s/^/$1 ingested: /"
  application=$(call "$b" POST /applications "$consumer" \
    "{\"resource\":\"$code\",\"items\":[\"id_number\",\"income\"],\"purpose\":\"核验最低生活保障申请人的家庭收入\",\"usage\":\"DATA_VERIFICATION\"}" | jq -r .id)
  call "$b" POST "/applications/$application/decision" "$provider" '{"decision":"APPROVE"}' >/dev/null
  consumer_token[$1]=$consumer
  path_prefix[$1]="/api/v1/data/$encoded/records/"
  echo "$1 answers: $(call "$b" GET "/data/$encoded/records/$(head -1 "$work/keys.txt")" "$consumer" | jq -c .)"
}
set_up cache
set_up nocache

declare -A url=(
  [json]="http://127.0.0.1:$json_port"
  [pg]="http://127.0.0.1:$pg_port"
  [cache]="http://127.0.0.1:${gs_port[cache]}"
  [nocache]="http://127.0.0.1:${gs_port[nocache]}"
)
declare -A prefix=([json]="/records/" [pg]="/records/" [cache]="${path_prefix[cache]}" [nocache]="${path_prefix[nocache]}")
declare -A header=([json]="X-Bench: 1" [pg]="X-Bench: 1"
  [cache]="Authorization: Bearer ${consumer_token[cache]}" [nocache]="Authorization: Bearer ${consumer_token[nocache]}")
targets=(json pg cache nocache)

audit_rows() { # govshare name
  PGPASSWORD=$(cat "$work/$1/pg-password.txt") psql -h 127.0.0.1 -p "${gs_pg[$1]}" -U postgres -d postgres -tAq \
    -c "SELECT count(*) FROM audit_log"
}

# one wrk run → "req/s p50_ms p99_ms audit_per_s max_heap_mb timeouts" (audit and heap "-" for the
# bare servers; timeouts: requests without a reply within 10 s, left out of the percentiles by wrk);
# fails when any reply was not 2xx
measure() {
  local target=$1 duration=$2 out a0 a1 t0 t1 stat=
  if [[ $target == cache || $target == nocache ]]; then
    a0=$(audit_rows "$target")
    jstat -gc "${gs_pid[$target]}" 500 >"$work/heap-$target.txt" &
    stat=$!
  fi
  t0=$(date +%s.%N)
  out=$(BENCH_KEYS=$work/keys.txt BENCH_PREFIX=${prefix[$target]} wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" \
    --timeout 10s --latency -s "$here/keys.lua" -H "${header[$target]}" "${url[$target]}")
  t1=$(date +%s.%N)
  local extra="- -"
  if [[ -n $stat ]]; then
    kill "$stat"
    wait "$stat" 2>/dev/null || true
    a1=$(audit_rows "$target")
    extra=$(awk -v a="$((a1 - a0))" -v t="$(awk -v x="$t0" -v y="$t1" 'BEGIN { print y - x }')" '
      $1 != "S0C" && NF > 8 { u = ($3 + $4 + $6 + $8) / 1024; if (u > max) max = u }
      END { printf "%.0f %.0f", a / t, max }' "$work/heap-$target.txt")
  fi
  if grep -q "Non-2xx" <<<"$out"; then
    echo "bench: $target answered errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk -v extra="$extra" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
    /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i == "timeout") timeouts = $(i + 1) + 0 }
    END { printf "%.0f %.2f %.2f %s %d\n", rps, p50, p99, extra, timeouts }' <<<"$out"
}

echo "warming up ($WARMUP each); load average $(cut -d' ' -f1-3 /proc/loadavg)"
for t in "${targets[@]}"; do
  measure "$t" "$WARMUP" >/dev/null
done

printf '\n%-6s %-8s %10s %9s %9s %10s %10s %9s %14s\n' round target "req/s" "p50 ms" "p99 ms" "audit/s" "heap MB" timeouts "load average"
declare -A rps
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  for t in "${targets[@]}"; do
    read -r r p50 p99 audit heap timeouts < <(measure "$t" "$DURATION")
    rps[$t]=$r
    printf '%-6s %-8s %10s %9s %9s %10s %10s %9s %14s\n' "$round" "$t" "$r" "$p50" "$p99" "$audit" "$heap" "$timeouts" "$(cut -d' ' -f1 /proc/loadavg)"
  done
  ratios+=("$(awk -v c="${rps[cache]}" -v n="${rps[nocache]}" -v p="${rps[pg]}" -v j="${rps[json]}" \
    'BEGIN { printf "%.2f %.2f %.2f %.2f", c / p, n / p, p / j, c / j }')")
done

printf '\n%-6s %14s %16s %12s %14s\n' round "cache / pg" "nocache / pg" "pg / json" "cache / json"
for i in "${!ratios[@]}"; do
  read -r a b c d <<<"${ratios[$i]}"
  printf '%-6s %14s %16s %12s %14s\n' "$((i + 1))" "$a" "$b" "$c" "$d"
done
echo "targets: cache / pg >= 2, nocache / pg >= 0.9, p99 <= 25 ms, heap <= 512 MB; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ -n "$PROFILE" ]]; then
  # a run of its own after the measured ones: starting a recording disturbs the first seconds
  pid=${gs_pid[$PROFILE_TARGET]}
  jcmd "$pid" JFR.start name=bench settings=profile filename="$PROFILE" >/dev/null
  sleep 2
  read -r r p50 p99 audit heap timeouts < <(measure "$PROFILE_TARGET" "$DURATION")
  jcmd "$pid" JFR.stop name=bench >/dev/null
  echo
  echo "JFR profile of $PROFILE_TARGET under the same load ($r req/s while recording): $PROFILE"
  jfr print --events jdk.ExecutionSample --stack-depth 64 "$PROFILE" >"$work/samples.txt"
  awk '
    /stackTrace = \[/ { inside = 1; first = ""; ours = ""; recorder = 0; next }
    inside && /^[[:space:]]*\]/ {
      inside = 0
      if (!recorder) { total++; top[first]++; if (ours != "") mine[ours]++ }
      next
    }
    inside {
      frame = $1; sub(/\(.*/, "", frame)
      if (first == "") first = frame
      if (ours == "" && frame ~ /^org\.govshare\./) ours = frame
      if (frame ~ /^jdk\.jfr\./) recorder = 1
    }
    END {
      printf "%d samples (the recorder left out)\n", total
      print "hottest top frames:"
      for (f in top) printf "top %6d %5.1f %%  %s\n", top[f], 100 * top[f] / total, f
      for (f in mine) printf "own %6d %5.1f %%  %s\n", mine[f], 100 * mine[f] / total, f
    }' "$work/samples.txt" >"$work/profile.txt"
  head -2 "$work/profile.txt"
  grep '^top' "$work/profile.txt" | sort -k2 -rn | head -20
  echo "govshare frames nearest the top of the stack:"
  grep '^own' "$work/profile.txt" | sort -k2 -rn | head -15
fi
