#!/usr/bin/env bash
# Starts the jar given (default target/govshare.jar) on a fresh data directory with the production
# hash cost, runs login-flood.py against it, stops it. Usage: load-tests/login/run.sh [jar] [seconds] [flood connections]
set -euo pipefail
jar=${1:-target/govshare.jar}; seconds=${2:-15}; connections=${3:-16}
dir=$(mktemp -d /tmp/govshare-login-XXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
secret="bench-admin-secret-$RANDOM$RANDOM"
GOVSHARE_DATA_DIR=$dir GOVSHARE_HTTP_HOST=127.0.0.1 GOVSHARE_HTTP_PORT=$port GOVSHARE_ADMIN_SECRET=$secret \
  java -Xmx512m -jar "$jar" > "$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for i in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null && break
  sleep 1
done
python3 "$(dirname "$0")/login-flood.py" "$port" admin "$secret" "$seconds" "$connections"
