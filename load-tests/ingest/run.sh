#!/usr/bin/env bash
# Streams a generated NDJSON upload into a jar started with -Xmx512m, samples the heap, then loads
# the same rows with a plain PostgreSQL COPY into an identical table for the ratio.
# Usage: load-tests/ingest/run.sh [records]   (1000000 records ≈ 260 MB); run from the repository root.
set -euo pipefail
N=${1:-1000000}
DIR=/tmp/dataplane-ingest-$$
PORT=$((20000 + RANDOM % 20000))
PGPORT=$((PORT + 1))
SECRET=ingest-bench-secret-0123456789
mkdir -p "$DIR"
python3 load-tests/ingest/generate.py "$N" "$DIR/people.ndjson" "$DIR/people.copy"
ls -l "$DIR/people.ndjson"
GOVSHARE_DATA_DIR=$DIR/data GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$PORT GOVSHARE_ADMIN_SECRET=$SECRET GOVSHARE_DB_EMBEDDED_PORT=$PGPORT \
  GOVSHARE_ACCESS_LOG_LEVEL=OFF java -Xmx512m -jar target/govshare.jar > "$DIR/server.log" 2>&1 &
PID=$!
trap 'set +e; kill $PID 2>/dev/null; while kill -0 $PID 2>/dev/null; do sleep 1; done; sleep 2; rm -rf "$DIR"' EXIT
B=http://127.0.0.1:$PORT
until curl -sf $B/health/ready >/dev/null; do sleep 1; done
tok() { curl -sf -X POST $B/api/v1/auth/token -H 'Content-Type: application/json' \
  -d "{\"grant_type\":\"client_credentials\",\"client_id\":\"$1\",\"client_secret\":\"$2\"}" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'; }
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
J0=$(cpu $PID); P0=$(cpu $(PGPIDS))
jstat -gc $PID 500 > "$DIR/heap.txt" &
JSTAT=$!
START=$(date +%s.%N)
curl -s -X POST "$B/api/v1/resources/${CODE/\//%2F}/records" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/x-ndjson' -T "$DIR/people.ndjson" -o "$DIR/result.json"
END=$(date +%s.%N)
J1=$(cpu $PID); P1=$(cpu $(PGPIDS))
kill $JSTAT
echo "cpu during ingestion: jvm $(( (J1 - J0) / $(getconf CLK_TCK) )) s, postgresql $(( (P1 - P0) / $(getconf CLK_TCK) )) s"
python3 - "$DIR" "$START" "$END" "$N" <<'PY'
import json, sys
d, s, e, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
r = json.load(open(d + "/result.json"))
rows = [l.split() for l in open(d + "/heap.txt") if l.strip() and not l.lstrip().startswith("S0C")]
used = max(float(x[2]) + float(x[3]) + float(x[5]) + float(x[7]) for x in rows) / 1024  # S0U S1U EU OU, KB -> MB
print("ingest: accepted=%s rejected=%s in %.1f s = %.0f records/s; max heap used %.0f MB" % (r["accepted"], r["rejected"], e - s, r["accepted"] / (e - s), used))
PY
echo "copy baseline on the same PostgreSQL (port $PGPORT):"
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -q -c "CREATE TABLE copy_baseline (LIKE data_record INCLUDING ALL)"
S2=$(date +%s.%N)
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -q -c "\\copy copy_baseline (resource, record_key, version, seq, data, updated_at) FROM '$DIR/people.copy'"
E2=$(date +%s.%N)
python3 -c "n=$N; t=$E2-$S2; print('copy: %d rows in %.1f s = %.0f rows/s' % (n, t, n/t))"
