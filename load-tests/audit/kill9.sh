#!/bin/bash
# kill -9 mid-burst: department creations against JAR, kill -9 of the JVM after SECONDS, immediate stop
# of the orphaned embedded postmaster (as after a crash), restart on the same data dir, then every
# committed department is matched against its DEPARTMENT_CREATE record (compare.py) and verify runs.
# usage: JAR=../../target/govshare.jar ./kill9.sh [SECONDS]   (run from load-tests/audit)
DIR=/tmp/govshare-audit-kill9-$$; mkdir -p $DIR; PORT=$((30000 + RANDOM % 5000))
run() { GOVSHARE_DATA_DIR=$DIR GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$PORT GOVSHARE_ADMIN_SECRET=bench-admin-secret-0123456789 \
  GOVSHARE_ACCESS_LOG_LEVEL=OFF java -Xmx1g -jar ${JAR:-../../target/govshare.jar} >> $DIR.log 2>&1 & echo $!; }
wait_up() { for i in $(seq 1 180); do curl -s -o /dev/null -w '%{http_code}' 127.0.0.1:$PORT/api/v1/departments 2>/dev/null | grep -q 401 && return; sleep 1; done; }
J=$(run); wait_up
TOKEN=$(curl -s -X POST 127.0.0.1:$PORT/api/v1/auth/token -H 'Content-Type: application/json' \
  -d '{"grant_type":"client_credentials","client_id":"admin","client_secret":"bench-admin-secret-0123456789"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
TOKEN=$TOKEN PREFIX=K9 wrk -t2 -c32 -d40s -s create.lua http://127.0.0.1:$PORT > $DIR.wrk 2>&1 &
W=$!
sleep ${1:-12}
kill -9 $J
PGPID=$(head -1 $DIR/pg/postmaster.pid 2>/dev/null)
echo "killed JVM $J; orphaned postmaster $PGPID"
[ -n "$PGPID" ] && kill -QUIT $PGPID   # immediate shutdown: no checkpoint, as after a crash
sleep 3; kill $W 2>/dev/null; wait $W 2>/dev/null
J=$(run); wait_up
python3 compare.py $PORT K9
kill $J; wait $J 2>/dev/null
