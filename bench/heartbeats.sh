#!/usr/bin/env bash
# Heartbeat benchmark: drives POST /services/{id}/heartbeat with wrk against the running
# registry-service with an operator's bearer token and, in the same run, GET /ping (a constant
# answer, open) as the HTTP stack's ceiling.
# Usage: bench/heartbeats.sh [services=1000] [seconds=20] [connections=64]
# Starts the platform with ./platform up if the registry is not answering.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=${1:-1000}
SECONDS_PER_RUN=${2:-20}
CONNECTIONS=${3:-64}
BASE=${REGISTRY_URL:-http://127.0.0.1:8081}
THREADS=2

command -v wrk >/dev/null || { echo "==> installing wrk"; apt-get install -y -qq wrk >/dev/null; }
curl -sf "$BASE/q/health/ready" >/dev/null || ./platform up

export TOKEN=${TOKEN:-$(./platform token operator)}
auth=(-H "Authorization: Bearer $TOKEN")
# Registrations and deletes are rate limited per client: curl waits as Retry-After says.
retry=(--retry 100 --retry-max-time 300)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ids="$work/ids"
run=$(date +%s)
echo "==> registering $SERVICES services"
for i in $(seq 1 "$SERVICES"); do
  printf '{"name":"bench-%s-%s","url":"http://bench-%s.example.internal:8080","environment":"bench","tags":["bench"]}\n' "$run" "$i" "$i"
done | while read -r body; do
  curl -sf "${retry[@]}" "${auth[@]}" -H 'Content-Type: application/json' -d "$body" "$BASE/services" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4
done > "$ids"
[ "$(wc -l < "$ids")" -eq "$SERVICES" ] || { echo "registration failed"; exit 1; }

measure() { # name, wrk args...
  local name=$1; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$@" >/dev/null 2>&1 # warm-up: JIT, connection pools
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$@" | grep '^RESULT' | sed "s/^RESULT/$name/"
}

echo "==> measuring ($CONNECTIONS connections, $THREADS wrk threads, ${SECONDS_PER_RUN}s each)"
ping=$(measure ping -s bench/ping.lua "$BASE/ping")
beat=$(IDS_FILE="$ids" measure heartbeat -s bench/heartbeats.lua "$BASE")
echo "$ping"
echo "$beat"
ping_rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$ping")
beat_rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$beat")
beat_p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$beat")
ratio=$(awk -v b="$beat_rps" -v p="$ping_rps" 'BEGIN { printf "%.2f", b / p }')
echo "heartbeat/ping throughput ratio: $ratio (goal >= 0.50); heartbeat p99: ${beat_p99} ms (goal < 25)"

echo "==> removing the benchmark's services"
while read -r id; do curl -sf "${retry[@]}" "${auth[@]}" -X DELETE "$BASE/services/$id" >/dev/null; done < "$ids"
