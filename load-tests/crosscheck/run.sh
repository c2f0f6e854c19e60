#!/usr/bin/env bash
# A cross-check over N records (default 1,000,000) in a source and one copy (1 % of names differ),
# on a jar started with -Xmx256m: time to DONE, progress seen while running, the JVM's heap, and
# for the ratio the same comparison as one plain SQL statement on the same PostgreSQL.
# The records are seeded straight into data_record with SQL (ingestion has its own benchmark).
# Usage: load-tests/crosscheck/run.sh [records]   after `mvn -q -DskipTests package`; run from the repository root.
set -euo pipefail
N=${1:-1000000}
DIR=/tmp/objection-crosscheck-$$
PORT=$((20000 + RANDOM % 20000))
PGPORT=$((PORT + 1))
SECRET=crosscheck-bench-secret-0123456789
mkdir -p "$DIR"
# generous database deadlines: the machine is shared, and a refused start would say nothing about the cross-check
GOVSHARE_DATA_DIR=$DIR/data GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$PORT GOVSHARE_ADMIN_SECRET=$SECRET \
  GOVSHARE_DB_EMBEDDED_PORT=$PGPORT GOVSHARE_ACCESS_LOG_LEVEL=OFF GOVSHARE_DB_CONNECT_TIMEOUT_MS=30000 \
  GOVSHARE_DB_POOL_WAIT_TIMEOUT_MS=30000 GOVSHARE_DB_QUERY_TIMEOUT_MS=60000 java -Xmx256m -jar target/govshare.jar > "$DIR/server.log" 2>&1 &
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
provider() {
  curl -sf -X POST $B/api/v1/departments -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"code\":\"$1\",\"name\":\"$1 部门\",\"kind\":\"DEPARTMENT\"}" >/dev/null
  local c; c=$(curl -sf -X POST $B/api/v1/departments/$1/clients -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"name":"业务系统","roles":["PROVIDER"]}')
  tok "$(echo "$c" | json '["clientId"]')" "$(echo "$c" | json '["clientSecret"]')"
}
GA=$(provider GA)
MZ=$(provider MZ)
entry() { # provider, authoritative?, sourceResource
  local extra=""; [ "$2" = false ] && extra=",\"sourceResource\":\"$3\""
  cat <<JSON
{"name":"人员信息 $1","summary":"人员基本信息","category":"DEPARTMENTAL","provider":"$1",
 "format":{"class":"DATABASE","subtype":"PostgreSQL"},"shareType":"CONDITIONAL","shareCondition":"经审批后使用",
 "shareMethod":"PLATFORM_API","openType":"NOT_OPEN","updatePeriod":"DAILY","relatedResources":[],"classified":false,
 "access":{"mode":"HOSTED"},"items":[
  {"key":"pid","name":"人员编号","dataType":"C","length":20,"isKey":true,"dataElement":"bench_person_id","authoritative":$2$extra},
  {"key":"name","name":"姓名","dataType":"C","length":50,"dataElement":"bench_person_name","authoritative":$2$extra}]}
JSON
}
register() {
  local code; code=$(entry "$1" "$2" "${4:-}" | curl -sf -X POST $B/api/v1/catalog/resources -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' -d @- | json '["code"]')
  curl -sf -X POST "$B/api/v1/catalog/resources/${code/\//%2F}/publish" -H "Authorization: Bearer $3" >/dev/null
  echo "$code"
}
SRC=$(register GA true "$GA")
COPY=$(register MZ false "$MZ" "$SRC")
export PGPASSWORD; PGPASSWORD=$(cat "$DIR/data/pg-password.txt")
PSQL="psql -h 127.0.0.1 -p $PGPORT -U postgres -d postgres -q -v ON_ERROR_STOP=1"
echo "seeding $N records in $SRC and in $COPY"
$PSQL <<SQL
INSERT INTO data_record (resource, record_key, version, seq, data, updated_at)
SELECT '$SRC', 'Q' || lpad(i::text, 8, '0'), 1, i, jsonb_build_object('pid', 'Q' || lpad(i::text, 8, '0'), 'name', '居民' || i), now()
FROM generate_series(1, $N) i;
INSERT INTO data_record (resource, record_key, version, seq, data, updated_at)
SELECT '$COPY', 'Q' || lpad(i::text, 8, '0'), 1, i,
  jsonb_build_object('pid', 'Q' || lpad(i::text, 8, '0'), 'name', CASE WHEN i % 100 = 7 THEN '错误' ELSE '居民' END || i), now()
FROM generate_series(1, $N) i;
VACUUM ANALYZE data_record;
SQL
jstat -gc $PID 500 > "$DIR/heap.txt" &
JSTAT=$!
sleep 3
START=$(date +%s.%N)
ID=$(curl -sf -X POST $B/api/v1/crosschecks -H "Authorization: Bearer $GA" -H 'Content-Type: application/json' \
  -d '{"element":"bench_person_name"}' | json '["id"]')
SEEN=0
while :; do
  R=$(curl -sf $B/api/v1/crosschecks/$ID -H "Authorization: Bearer $GA")
  S=$(echo "$R" | json '["status"]')
  [ "$S" != RUNNING ] && break
  SEEN=$((SEEN + 1)); echo "  running: compared $(echo "$R" | json '["compared"]')" >> "$DIR/progress.txt"
  sleep 0.5
done
END=$(date +%s.%N)
kill $JSTAT
tail -3 "$DIR/progress.txt" || true
echo "$R" | python3 -c 'import json,sys; r=json.load(sys.stdin); c=r["copies"][0]; print("status %s: compared %d, mismatches %d, samples %d" % (r["status"], c["compared"], c["mismatches"], len(c["samples"])))'
python3 - "$DIR" "$START" "$END" "$N" "$SEEN" <<'PY'
import sys
d, s, e, n, seen = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rows = [l.split() for l in open(d + "/heap.txt") if l.strip() and not l.lstrip().startswith("S0C")]
used = [(float(x[2]) + float(x[3]) + float(x[5]) + float(x[7])) / 1024 for x in rows]
print("cross-check: %d records in %.1f s = %.0f records/s; %d progress reads while RUNNING; heap used %.0f MB at start, max %.0f MB"
      % (n, e - s, n / (e - s), seen, used[0], max(used)))
PY
echo "baseline: the same comparison as one SQL statement"
S2=$(date +%s.%N)
$PSQL -c "SELECT count(*) FILTER (WHERE s.record_key IS NOT NULL) AS compared,
  count(*) FILTER (WHERE s.record_key IS NOT NULL AND (s.data -> 'name') IS DISTINCT FROM (c.data -> 'name')) AS mismatches
  FROM data_record c LEFT JOIN data_record s ON s.resource = '$SRC' AND s.record_key = c.record_key WHERE c.resource = '$COPY'"
E2=$(date +%s.%N)
python3 -c "s=$START; e=$END; t=$E2-$S2; print('one statement: %.1f s; cross-check / one statement = %.2f' % (t, (e-s)/t))"
