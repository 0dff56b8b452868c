#!/usr/bin/env bash
# Health-check benchmark: N services in the catalog, all served by one local target process,
# checked by the running monitoring-service at a fixed interval for a few minutes. Reports the
# checks per second sustained with every result stored, the lag behind schedule (p99), and the
# service's CPU and memory, beside a baseline measured in the same run: wrk against the same
# target (the raw HTTP ceiling of this machine).
# Usage: bench/health-checks.sh [services=10000] [seconds=180] [interval=10]
# Starts the platform with ./platform up if monitoring-service is not answering.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=${1:-10000}
DURATION=${2:-180}
INTERVAL=${3:-10}
MONITORING=${MONITORING_URL:-http://127.0.0.1:8082}
BOOTSTRAP=${KAFKA_BOOTSTRAP:-127.0.0.1:9092}
TARGET_PORT=${TARGET_PORT:-18090}
TARGET="http://127.0.0.1:$TARGET_PORT"
KAFKA_CP=".platform/kafka/libs/*"

command -v wrk >/dev/null || { echo "==> installing wrk"; apt-get install -y -qq wrk >/dev/null; }
curl -sf "$MONITORING/q/health/ready" >/dev/null || ./platform up
monitoring_pid=$(cat .platform/pids/monitoring-service.pid)
clock_ticks=$(getconf CLK_TCK)

metric() { # prometheus name (first series)
  local metrics
  metrics=$(curl -sf "$MONITORING/q/metrics")
  awk -v m="$1" '$1 == m || index($1, m "{") == 1 { print $2; exit }' <<<"$metrics"
}
cpu_ticks() { # utime + stime of a process
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
rss_mb() {
  awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

run="bench-$(date +%s)"
target_pid=""
cleanup() {
  echo "==> removing the benchmark's services"
  java -cp "$KAFKA_CP" bench/CatalogLoad.java remove "$BOOTSTRAP" "$run" "$SERVICES" "$TARGET" "$INTERVAL" || true
  [ -n "$target_pid" ] && kill "$target_pid" 2>/dev/null || true
}
trap cleanup EXIT

echo "==> starting the target on $TARGET"
java -Xmx256m -cp "monitoring-service/target/quarkus-app/lib/main/*" bench/HealthTarget.java "$TARGET_PORT" \
  > /tmp/health-target.log 2>&1 &
target_pid=$!
for _ in $(seq 1 60); do curl -sf "$TARGET/requests" >/dev/null && break; sleep 0.5; done

echo "==> baseline: wrk against the target (2 threads, 64 connections, 15 s)"
wrk -t2 -c64 -d3s "$TARGET/svc/1/health" >/dev/null
baseline_rps=$(wrk -t2 -c64 -d15s "$TARGET/svc/1/health" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
echo "    $baseline_rps requests/s"

echo "==> putting $SERVICES services in the catalog, checked every ${INTERVAL}s"
owned_before=$(metric monitoring_services_owned)
java -cp "$KAFKA_CP" bench/CatalogLoad.java add "$BOOTSTRAP" "$run" "$SERVICES" "$TARGET" "$INTERVAL"
expected=$(awk -v a="$owned_before" -v n="$SERVICES" 'BEGIN { printf "%d", a + n }')
for _ in $(seq 1 120); do
  owned=$(metric monitoring_services_owned)
  awk -v o="$owned" -v e="$expected" 'BEGIN { exit !(o >= e) }' && break
  sleep 1
done
echo "    monitoring-service checks $(metric monitoring_services_owned) services"

warmup=$((INTERVAL * 3))
echo "==> warming up for ${warmup}s"
sleep "$warmup"

echo "==> measuring for ${DURATION}s"
stored0=$(metric monitoring_results_stored_total)
dropped0=$(metric monitoring_results_dropped_total)
requests0=$(curl -sf "$TARGET/requests")
cpu0=$(cpu_ticks "$monitoring_pid")
t0=$(date +%s.%N)
lag_p99_max=0
rss_max=0
end=$(( $(date +%s) + DURATION ))
while [ "$(date +%s)" -lt "$end" ]; do
  sleep 10
  metrics=$(curl -sf "$MONITORING/q/metrics")
  lag=$(awk '/^monitoring_checks_lag_seconds\{.*quantile="0.99"/ { print $2; exit }' <<<"$metrics")
  lag_p99_max=$(awk -v a="$lag_p99_max" -v b="${lag:-0}" 'BEGIN { print (b > a) ? b : a }')
  rss=$(rss_mb "$monitoring_pid")
  [ "$rss" -gt "$rss_max" ] && rss_max=$rss
done
t1=$(date +%s.%N)
stored1=$(metric monitoring_results_stored_total)
dropped1=$(metric monitoring_results_dropped_total)
requests1=$(curl -sf "$TARGET/requests")
cpu1=$(cpu_ticks "$monitoring_pid")
pending=$(metric monitoring_results_pending)

awk -v s0="$stored0" -v s1="$stored1" -v r0="$requests0" -v r1="$requests1" -v c0="$cpu0" -v c1="$cpu1" \
    -v t0="$t0" -v t1="$t1" -v hz="$clock_ticks" -v lag="$lag_p99_max" -v rss="$rss_max" -v base="$baseline_rps" \
    -v d0="$dropped0" -v d1="$dropped1" -v pending="$pending" -v n="$SERVICES" -v interval="$INTERVAL" 'BEGIN {
  secs = t1 - t0
  stored = (s1 - s0) / secs
  sent = (r1 - r0) / secs
  printf "RESULT services=%d interval_s=%d checks_per_s=%.0f target_requests_per_s=%.0f scheduled_per_s=%.0f\n", n, interval, stored, sent, n / interval
  printf "RESULT lag_p99_ms=%.0f cpu_cores=%.2f rss_mb=%d results_dropped=%d results_pending=%d\n", lag * 1000, (c1 - c0) / hz / secs, rss, d1 - d0, pending
  printf "RESULT baseline_wrk_rps=%d checks_vs_baseline=%.3f\n", base, stored / base
}'
