#!/usr/bin/env bash
# Alert latency benchmark: a service going unhealthy (a HealthTransition published to
# monitoring.health) to the webhook that tells of it, through the running alerting-service, for a
# route with group_wait 0; at a steady rate, then in bursts. Baseline, in the same run: Debian's
# Prometheus Alertmanager (installed with apt-get if missing) given the same alerts on its API v2,
# as Prometheus would send them, with group_wait 0 too.
# The run replaces alerting-service's routing with its own and puts the old one back at the end:
# run it against a local platform (./platform up), not one that pages people.
# Usage: bench/alert-latency.sh [steady_per_second=50] [steady_seconds=20] [burst=1000] [bursts=3]
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${1:-50}
SECONDS_STEADY=${2:-20}
BURST=${3:-1000}
BURSTS=${4:-3}
ALERTING=${ALERTING_URL:-http://127.0.0.1:8084}
BOOTSTRAP=${KAFKA_BOOTSTRAP:-127.0.0.1:9092}
RECEIVER_PORT=${RECEIVER_PORT:-18099}
AM_PORT=${ALERTMANAGER_PORT:-19093}
KAFKA_CP=".platform/kafka/libs/*"
WORK=$(mktemp -d)

curl -sf "$ALERTING/q/health/ready" >/dev/null || ./platform up
if ! command -v prometheus-alertmanager >/dev/null 2>&1; then
  echo "==> installing Debian's prometheus-alertmanager (the baseline)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-alertmanager >/dev/null
fi

TOKEN=$(./platform token admin)
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

AM_PID=""
CHANNEL_ID=""
cleanup() {
  [[ -n $AM_PID ]] && kill "$AM_PID" 2>/dev/null || true
  if [[ -f $WORK/routing.json ]]; then
    echo "==> putting the routing back"
    api -X PUT "$ALERTING/routing" -d @"$WORK/routing.json" >/dev/null || echo "could not restore the routing: $WORK/routing.json"
  fi
  [[ -n $CHANNEL_ID ]] && api -X DELETE "$ALERTING/channels/$CHANNEL_ID" >/dev/null || true
}
trap cleanup EXIT

api "$ALERTING/routing" | python3 -c "import json,sys; d=json.load(sys.stdin); print(json.dumps({'route': d['route'], 'inhibit_rules': d['inhibit_rules']}))" >"$WORK/routing.json"
CHANNEL_ID=$(api -X POST "$ALERTING/channels" -d "{\"name\": \"bench-latency-$$\", \"type\": \"webhook\",
  \"settings\": {\"url\": \"http://127.0.0.1:$RECEIVER_PORT/ours\"}}" | json_field "['id']")
api -X PUT "$ALERTING/routing" -d "{\"route\": {\"channels\": [], \"routes\": [{\"matchers\": [\"alertname=\\\"ServiceUnhealthy\\\"\",
  \"service=~\\\"bench-.*\\\"\"], \"channels\": [\"bench-latency-$$\"], \"group_by\": [\"service_id\"], \"group_wait\": \"0s\"}]}}" >/dev/null

# Statistics and dead rows as autovacuum keeps them in a deployment: a machine running PostgreSQL
# with autovacuum off (this project's CI machine) would otherwise measure bloat from earlier runs.
if command -v psql >/dev/null 2>&1; then
  PGPASSWORD=alerting psql -q -h 127.0.0.1 -U alerting -d devops -c "vacuum analyze alerting.alert, alerting.alert_history,
    alerting.notification_group, alerting.group_alert, alerting.notification, alerting.notification_alert, alerting.delivery,
    alerting.outbox, alerting.processed_event" || echo "could not vacuum the alerting tables; measuring as they are"
fi

echo "==> alerting-service: $RATE alerts/s for ${SECONDS_STEADY}s, then $BURSTS bursts of $BURST"
java -cp "$KAFKA_CP" bench/AlertLatency.java ours "$BOOTSTRAP" "$RECEIVER_PORT" "$RATE" "$SECONDS_STEADY" "$BURST" "$BURSTS" \
  | tee "$WORK/ours.txt"

cat >"$WORK/alertmanager.yml" <<YAML
route:
  receiver: bench
  group_by: [service_id]
  group_wait: 0s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: bench
    webhook_configs:
      - url: http://127.0.0.1:$RECEIVER_PORT/am
        send_resolved: false
YAML
prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am-data" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= >"$WORK/alertmanager.log" 2>&1 &
AM_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$AM_PORT/-/ready" >/dev/null && break; sleep 0.1; done
echo "==> Alertmanager $(prometheus-alertmanager --version 2>&1 | head -n 1 | awk '{print $3}'): the same load"
java -cp "$KAFKA_CP" bench/AlertLatency.java alertmanager "http://127.0.0.1:$AM_PORT" "$RECEIVER_PORT" "$RATE" "$SECONDS_STEADY" \
  "$BURST" "$BURSTS" | tee "$WORK/alertmanager.txt"

echo
printf '%-16s %8s %9s %5s %8s %9s %9s %9s   %s\n' phase sent received lost doubled p50_ms p99_ms max_ms "p99 vs Alertmanager"
paste -d ' ' "$WORK/ours.txt" "$WORK/alertmanager.txt" | while read -r phase sent rec lost dbl p50 p99 max _ _ _ _ _ _ ap99 _; do
  printf '%-16s %8s %9s %5s %8s %9s %9s %9s   %s\n' "$phase" "$sent" "$rec" "$lost" "$dbl" "$p50" "$p99" "$max" \
    "$(python3 -c "print(f'{$p99 / $ap99:.2f}x (Alertmanager {$ap99} ms)')" 2>/dev/null || echo -)"
done
