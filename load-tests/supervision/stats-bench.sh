#!/usr/bin/env bash
# Statistics and evaluation over a large audit log, with the V20 indexes and (baseline, same run,
# same data) without them. Traffic to 127.0.0.1 only; the server and its data directory are removed
# at the end. Usage: ./stats-bench.sh [audit rows, default 2000000] [departments, default 40]
# Needs: target/govshare.jar (mvn -q -DskipTests package), psql, curl, python3.
set -euo pipefail
ROWS=${1:-2000000}
DEPTS=${2:-40}
JAR=${JAR:-$(dirname "$0")/../../target/govshare.jar}
DIR=$(mktemp -d /tmp/supervision-bench-XXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port); PGPORT=$(free_port)
SECRET=bench-admin-secret-0123456789
GOVSHARE_DATA_DIR=$DIR GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$PORT GOVSHARE_DB_EMBEDDED_PORT=$PGPORT \
  GOVSHARE_ADMIN_SECRET=$SECRET GOVSHARE_DB_EMBEDDED_DURABLE=false GOVSHARE_ACCESS_LOG_LEVEL=OFF \
  GOVSHARE_DB_QUERY_TIMEOUT_MS=600000 GOVSHARE_DB_CONNECT_TIMEOUT_MS=60000 GOVSHARE_DB_POOL_WAIT_TIMEOUT_MS=600000 java -jar "$JAR" > "$DIR/server.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT
for i in $(seq 1 120); do curl -fsS "127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 1; done
B=127.0.0.1:$PORT/api/v1
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
ADMIN=$(curl -fsS $B/auth/token -d grant_type=client_credentials -d client_id=admin -d client_secret=$SECRET | json '["access_token"]')
H=(-H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json')
for d in $(seq 1 "$DEPTS"); do
  curl -fsS $B/departments "${H[@]}" -d "{\"code\":\"D$d\",\"name\":\"部门$d\",\"kind\":\"DEPARTMENT\"}" >/dev/null
done
read -r PID PSECRET < <(curl -fsS $B/departments/D1/clients "${H[@]}" -d '{"name":"p","roles":["PROVIDER"]}' \
  | python3 -c 'import sys,json; j=json.load(sys.stdin); print(j["clientId"], j["clientSecret"])')
P=$(curl -fsS $B/auth/token -d grant_type=client_credentials -d client_id="$PID" -d client_secret="$PSECRET" | json '["access_token"]')
CODES=()
for r in 1 2 3 4 5; do
  CODE=$(curl -fsS $B/catalog/resources -H "Authorization: Bearer $P" -H 'Content-Type: application/json' -d "{
    \"name\":\"基准资源$r\",\"summary\":\"基准测试用的资源\",\"category\":\"DEPARTMENTAL\",\"provider\":\"D1\",
    \"format\":{\"class\":\"DATABASE\",\"subtype\":\"pg\"},\"shareType\":\"CONDITIONAL\",\"shareCondition\":\"经审批后使用\",
    \"shareMethod\":\"PLATFORM_API\",\"openType\":\"NOT_OPEN\",\"updatePeriod\":\"DAILY\",\"relatedResources\":[],\"classified\":false,
    \"access\":{\"mode\":\"HOSTED\"},\"items\":[{\"key\":\"k\",\"name\":\"编号\",\"dataType\":\"C\",\"length\":18,\"isKey\":true}]}" | json '["code"]')
  curl -fsS -X POST "$B/catalog/resources/${CODE/\//%2F}/publish" -H "Authorization: Bearer $P" >/dev/null
  CODES+=("$CODE")
done
export PGPASSWORD=$(cat "$DIR/pg-password.txt")
PSQL=(psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "UPDATE catalog_filing SET filed_at = '2024-12-01' ; UPDATE department SET created_at = '2024-12-01'"
# a year of calls from every department on every resource of every department (a bare table of
# seqs far above the chain's, so the writer's chain is left alone), plus daily updates of D1's resources
RES_LIST=$(printf "'%s'," "${CODES[@]}"); RES_LIST="ARRAY[${RES_LIST%,}]"
echo "seeding $ROWS audit rows..."
"${PSQL[@]}" -c "
INSERT INTO audit_log (seq, at, request_id, client_id, department, action, resource, subject, outcome, detail, prev_hash, hash)
SELECT 1000000000 + g, timestamptz '2025-01-01 00:00+08' + (g::bigint * 31535999 / $ROWS) * interval '1 second',
  'b' || g, 'c', 'D' || (1 + g % $DEPTS),
  (ARRAY['DATA_READ','DATA_LOOKUP','DATA_VERIFY','AUDIT_READ','CATALOG_READ'])[1 + g % 5],
  CASE WHEN g % 7 = 0 THEN ($RES_LIST)[1 + g % 5] ELSE 'R' || (g % 200) END, NULL,
  CASE WHEN g % 13 = 0 THEN 'DENIED' ELSE 'OK' END, '{}', 'x', 'x'
FROM generate_series(1, $ROWS) g;
INSERT INTO audit_log (seq, at, request_id, client_id, department, action, resource, subject, outcome, detail, prev_hash, hash)
SELECT 2000000000 + row_number() over (), d + interval '9 hours', 'i', 'c', 'D1', 'DATA_INGEST', r, NULL, 'OK', '{\"rows\":1}', 'x', 'x'
FROM generate_series(timestamptz '2025-01-01 00:00+08', timestamptz '2025-12-31 00:00+08', interval '2 days') d, unnest($RES_LIST) r;
ANALYZE audit_log;"
ADMIN=$(curl -fsS $B/auth/token -d grant_type=client_credentials -d client_id=admin -d client_secret=$SECRET | json '["access_token"]')
measure() { # label, path, runs: prints the median seconds
  local best=() t
  for i in $(seq 1 "$3"); do
    t=$(curl -fsS -o /dev/null -w '%{time_total}' "$B$2" -H "Authorization: Bearer $ADMIN")
    best+=("$t")
  done
  printf '%s\n' "${best[@]}" | sort -n | awk -v l="$1" '{a[NR]=$1} END {printf "%-40s median %.3f s over %d runs\n", l, a[int((NR+1)/2)], NR}'
}
curl -fsS -o /dev/null "$B/statistics?department=D1&year=2025" -H "Authorization: Bearer $ADMIN"   # warm up
S1=$(measure "statistics D1 2025, indexed" "/statistics?department=D1&year=2025" 5); echo "$S1"
E1=$(measure "evaluation 2025 ($DEPTS departments), indexed" "/evaluations/2025" 3); echo "$E1"
"${PSQL[@]}" -c "DROP INDEX audit_log_department_action_at, audit_log_resource_action_at, audit_log_action_at"
S0=$(measure "statistics D1 2025, without V20 indexes" "/statistics?department=D1&year=2025" 3); echo "$S0"
E0=$(measure "evaluation 2025, without V20 indexes" "/evaluations/2025" 1); echo "$E0"
python3 - "$S1" "$S0" "$E1" "$E0" <<'PY'
import sys, re
v = [float(re.search(r"median ([0-9.]+)", a).group(1)) for a in sys.argv[1:]]
print(f"statistics: {v[1]/v[0]:.1f}x faster with the indexes; evaluation: {v[3]/v[2]:.1f}x faster")
PY
