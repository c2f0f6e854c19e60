#!/usr/bin/env bash
# Streams a generated NDJSON upload into a jar started with -Xmx512m, samples the heap, then loads
# the same rows with a plain PostgreSQL COPY into an identical table on the same PostgreSQL for the
# ratio. Several jars (e.g. before and after a change) are measured one after the other in one run,
# each beside its own COPY, on the same generated file.
# Usage: load-tests/ingest/run.sh [records]   (1000000 records ≈ 260 MB); run from the repository root.
#   JARS="/tmp/before.jar target/govshare.jar" load-tests/ingest/run.sh 1000000
#   PROFILE=/tmp/ingest.jfr load-tests/ingest/run.sh 300000   (records the JVM during the upload)
set -euo pipefail
N=${1:-1000000}
JARS=${JARS:-target/govshare.jar}
ROOT=/tmp/dataplane-ingest-$$
SECRET=ingest-bench-secret-0123456789
mkdir -p "$ROOT"
PID=
cleanup() {
  set +e
  if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null; while kill -0 "$PID" 2>/dev/null; do sleep 1; done; sleep 2; fi
  rm -rf "$ROOT"
}
trap cleanup EXIT
python3 load-tests/ingest/generate.py "$N" "$ROOT/people.ndjson" "$ROOT/people.copy"
ls -l "$ROOT/people.ndjson"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"

measure() { # jar
  local jar=$1 DIR=$ROOT/run-$RANDOM PORT=$((20000 + RANDOM % 12000))
  local PGPORT=$((PORT + 1)) B=http://127.0.0.1:$PORT
  mkdir -p "$DIR"
  echo
  echo "== $jar"
  # generous start-up timeouts: on a loaded machine the first connections can take seconds
  GOVSHARE_DB_CONNECT_TIMEOUT_MS=30000 GOVSHARE_DB_POOL_WAIT_TIMEOUT_MS=30000 GOVSHARE_DB_QUERY_TIMEOUT_MS=60000 \
  GOVSHARE_DATA_DIR=$DIR/data GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$PORT GOVSHARE_ADMIN_SECRET=$SECRET GOVSHARE_DB_EMBEDDED_PORT=$PGPORT \
    GOVSHARE_ACCESS_LOG_LEVEL=OFF java -Xmx512m -jar "$jar" > "$DIR/server.log" 2>&1 &
  PID=$!
  until curl -sf $B/health/ready >/dev/null; do sleep 1; kill -0 $PID || { tail -20 "$DIR/server.log"; exit 1; }; done
  tok() { curl -sf -X POST $B/api/v1/auth/token -H 'Content-Type: application/json' \
    -d "{\"grant_type\":\"client_credentials\",\"client_id\":\"$1\",\"client_secret\":\"$2\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'; }
  local ADMIN CLIENT CID CSECRET TOKEN CODE
  ADMIN=$(tok admin $SECRET)
  curl -sf -X POST $B/api/v1/departments -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"code":"MZJ","name":"民政局","kind":"DEPARTMENT"}' >/dev/null
  CLIENT=$(curl -sf -X POST $B/api/v1/departments/MZJ/clients -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"name":"低保系统","roles":["PROVIDER"]}')
  CID=$(echo "$CLIENT" | python3 -c 'import json,sys;print(json.load(sys.stdin)["clientId"])')
  CSECRET=$(echo "$CLIENT" | python3 -c 'import json,sys;print(json.load(sys.stdin)["clientSecret"])')
  TOKEN=$(tok "$CID" "$CSECRET")
  CODE=$(curl -sf -X POST $B/api/v1/catalog/resources -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d @- <<'JSON' | python3 -c 'import json,sys;print(json.load(sys.stdin)["code"])'
{"name":"低保对象家庭成员","summary":"低保对象家庭成员的基本信息","category":"DEPARTMENTAL","provider":"MZJ",
 "format":{"class":"DATABASE","subtype":"PostgreSQL"},"shareType":"CONDITIONAL","shareCondition":"经审批后使用",
 "shareMethod":"PLATFORM_API","openType":"NOT_OPEN","updatePeriod":"DAILY","relatedResources":[],"classified":false,
 "access":{"mode":"HOSTED"},"items":[
  {"key":"id_number","name":"公民身份号码","dataType":"C","length":18,"isKey":true,"sensitive":true,"dataElement":"citizen_id_number","authoritative":true},
  {"key":"name","name":"姓名","dataType":"C","length":50},{"key":"birth_date","name":"出生日期","dataType":"D"},
  {"key":"income","name":"月收入","dataType":"N","length":8},{"key":"address","name":"住址","dataType":"C","length":200},
  {"key":"note","name":"备注","dataType":"C","length":200}]}
JSON
  )
  curl -sf -X POST "$B/api/v1/catalog/resources/${CODE/\//%2F}/publish" -H "Authorization: Bearer $TOKEN" >/dev/null
  # CPU seconds of the JVM and of PostgreSQL (postmaster and its backends), to see which side limits
  cpu() { local t=0; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }
  PGPIDS() { local pm; pm=$(head -1 "$DIR/data/pg/postmaster.pid"); echo $pm $(pgrep -P $pm); }
  # PostgreSQL's CPU including backends that have exited (the postmaster's reaped children: COPY's psql session)
  pgcpu() { local pm; pm=$(head -1 "$DIR/data/pg/postmaster.pid"); echo $(( $(cpu $(PGPIDS)) + $(awk '{print $16 + $17}' /proc/$pm/stat) )); }
  local J0 P0 J1 P1 JSTAT START END S2 E2
  echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
  J0=$(cpu $PID); P0=$(cpu $(PGPIDS))
  jstat -gc $PID 500 > "$DIR/heap.txt" &
  JSTAT=$!
  if [[ -n "${PROFILE:-}" ]]; then jcmd $PID JFR.start name=ingest settings=profile filename="$PROFILE" >/dev/null; fi
  START=$(date +%s.%N)
  curl -s -X POST "$B/api/v1/resources/${CODE/\//%2F}/records" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/x-ndjson' -T "$ROOT/people.ndjson" -o "$DIR/result.json"
  END=$(date +%s.%N)
  J1=$(cpu $PID); P1=$(cpu $(PGPIDS))
  if [[ -n "${PROFILE:-}" ]]; then jcmd $PID JFR.stop name=ingest >/dev/null; echo "JFR recording of the ingestion: $PROFILE"; fi
  kill $JSTAT
  echo "cpu during ingestion: jvm $(( (J1 - J0) / $(getconf CLK_TCK) )) s, postgresql $(( (P1 - P0) / $(getconf CLK_TCK) )) s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  # the embedded PostgreSQL asks for the password govshare generated into its data directory
  export PGPASSWORD; PGPASSWORD=$(cat "$DIR/data/pg-password.txt")
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -q -c "CREATE TABLE copy_baseline (LIKE data_record INCLUDING ALL)"
  P0=$(pgcpu)
  S2=$(date +%s.%N)
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -q -c "\\copy copy_baseline (resource, record_key, version, seq, data, updated_at) FROM '$ROOT/people.copy'"
  E2=$(date +%s.%N)
  P1=$(pgcpu)
  echo "cpu during copy: postgresql $(( (P1 - P0) / $(getconf CLK_TCK) )) s (psql's own not counted); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 - "$DIR" "$START" "$END" "$S2" "$E2" "$N" <<'PY'
import json, sys
d, s, e, s2, e2, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
r = json.load(open(d + "/result.json"))
rows = [l.split() for l in open(d + "/heap.txt") if l.strip() and not l.lstrip().startswith("S0C")]
used = max(float(x[2]) + float(x[3]) + float(x[5]) + float(x[7]) for x in rows) / 1024  # S0U S1U EU OU, KB -> MB
ingest, copy = r["accepted"] / (e - s), n / (e2 - s2)
print("ingest: accepted=%s rejected=%s in %.1f s = %.0f records/s; max heap used %.0f MB" % (r["accepted"], r["rejected"], e - s, ingest, used))
print("copy:   %d rows in %.1f s = %.0f rows/s" % (n, e2 - s2, copy))
print("ratio ingest / copy: %.2f" % (ingest / copy))
PY
  kill $PID; while kill -0 $PID 2>/dev/null; do sleep 1; done; PID=
  sleep 2
  rm -rf "$DIR"
}

for jar in $JARS; do
  measure "$jar"
done
