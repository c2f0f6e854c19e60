#!/bin/bash
# Change-plus-audit throughput: starts two builds side by side (e.g. main's jar as BEFORE, this one as
# AFTER), each with its own data dir under /tmp, warms both up, then runs the same wrk burst of
# department creations against both at once, so both see the same machine load.
# usage: load-tests/audit/pair.sh BEFORE.jar AFTER.jar [SECONDS] [CONNECTIONS]   (run from load-tests/audit)
BEFORE=$1; AFTER=$2; SECS=${3:-30}; CONN=${4:-16}
start() { # jar label port
  DIR=/tmp/govshare-audit-bench-$2-$$; rm -rf $DIR; mkdir -p $DIR
  GOVSHARE_DATA_DIR=$DIR GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$3 GOVSHARE_ADMIN_SECRET=bench-admin-secret-0123456789 \
    GOVSHARE_ACCESS_LOG_LEVEL=OFF java -Xmx1g -jar $1 > $DIR.log 2>&1 &
  echo $!
}
token() {
  curl -s -X POST 127.0.0.1:$1/api/v1/auth/token -H 'Content-Type: application/json' \
    -d '{"grant_type":"client_credentials","client_id":"admin","client_secret":"bench-admin-secret-0123456789"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/'
}
wait_up() { for i in $(seq 1 180); do curl -s -o /dev/null -w '%{http_code}' 127.0.0.1:$1/api/v1/departments 2>/dev/null | grep -q 401 && return; sleep 1; done; }
PB=$((20000 + RANDOM % 5000)); PA=$((25000 + RANDOM % 5000))
B=$(start $BEFORE before $PB); A=$(start $AFTER after $PA)
wait_up $PB; wait_up $PA
TB=$(token $PB); TA=$(token $PA)
TOKEN=$TB PREFIX=Wb wrk -t1 -c$CONN -d10s -s create.lua http://127.0.0.1:$PB > /dev/null &
TOKEN=$TA PREFIX=Wa wrk -t1 -c$CONN -d10s -s create.lua http://127.0.0.1:$PA > /dev/null
wait
TOKEN=$TB PREFIX=Mb wrk -t1 -c$CONN -d${SECS}s --timeout 10s -s create.lua http://127.0.0.1:$PB > /tmp/govshare-audit-bench-before.out &
TOKEN=$TA PREFIX=Ma wrk -t1 -c$CONN -d${SECS}s --timeout 10s -s create.lua http://127.0.0.1:$PA > /tmp/govshare-audit-bench-after.out
wait
for f in before after; do echo "== $f"; grep -E "Requests/sec|non-2xx|Latency|requests in|Socket" /tmp/govshare-audit-bench-$f.out; done
kill $B $A; wait $B $A 2>/dev/null
