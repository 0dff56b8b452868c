#!/usr/bin/env bash
# Ingestion benchmark: synthetic agents publish metric batches to metrics.samples and the running
# monitoring-service stores them. Two runs: as fast as Kafka takes them (the pipeline's capacity)
# and at a steady rate (the end-to-end lag p99, from a batch's collection to its samples stored);
# the steady run goes first, so the capacity run's backlog does not count in its lag.
# Baseline, measured in the same run: PostgreSQL's own COPY (psql's \copy, text format) of the very rows
# the pipeline stored (same series ids, times and values, so the same index work) into the same table.
# Usage: bench/ingest.sh [steady_samples_per_second=100000] [seconds=60] [nodes=500] [samples_per_batch=200]
# Starts the platform with ./platform up if monitoring-service is not answering.
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${1:-100000}
DURATION=${2:-60}
NODES=${3:-500}
PER_BATCH=${4:-200}
MONITORING=${MONITORING_URL:-http://127.0.0.1:8082}
BOOTSTRAP=${KAFKA_BOOTSTRAP:-127.0.0.1:9092}
KAFKA_CP=".platform/kafka/libs/*"

curl -sf "$MONITORING/q/health/ready" >/dev/null || ./platform up
sql() { psql -h 127.0.0.1 -U monitoring -d devops -v ON_ERROR_STOP=1 -qtA -c "set search_path = monitoring; $1"; }
metric() {
  local metrics
  metrics=$(curl -sf "$MONITORING/q/metrics")
  awk -v m="$1" '$1 == m || index($1, m "{") == 1 { print $2; exit }' <<<"$metrics"
}
stored() { metric monitoring_metrics_samples_stored_total | awk '{ printf "%d", $1 }'; }

cleanup() {
  echo "==> removing the benchmark's nodes, series and samples"
  sql "delete from metric_sample where series_id in (select id from metric_series where node_id like 'bench-%');
       delete from metric_rollup_1m where series_id in (select id from metric_series where node_id like 'bench-%');
       delete from metric_rollup_1h where series_id in (select id from metric_series where node_id like 'bench-%');
       delete from metric_series where node_id like 'bench-%'; delete from node where id like 'bench-%';" >/dev/null
}
trap cleanup EXIT

# Runs the agents and waits until monitoring has stored all they sent; prints sent, stored, seconds to
# store all, lag p99 (ms), and the samples stored after the agents stopped and the seconds that took
# (the pipeline alone on the machine, draining the backlog the agents left).
run() { # samples per second (0: unbounded)
  local before sent start now done_at lag_max=0 lag metrics agents_done stored_at_agents_done
  before=$(stored)
  start=$(date +%s.%N)
  sent=$(java -cp "$KAFKA_CP" bench/SyntheticAgents.java "$BOOTSTRAP" "$NODES" "$PER_BATCH" "$1" "$DURATION" \
    | sed -E 's/^sent ([0-9]+) samples.*/\1/')
  agents_done=$(date +%s.%N)
  stored_at_agents_done=$(stored)
  for _ in $(seq 1 600); do
    metrics=$(curl -sf "$MONITORING/q/metrics")
    lag=$(awk '/^monitoring_metrics_lag_seconds\{.*quantile="0.99"/ { print $2; exit }' <<<"$metrics")
    lag_max=$(awk -v a="$lag_max" -v b="${lag:-0}" 'BEGIN { print (b > a) ? b : a }')
    (( $(stored) - before >= sent )) && break
    sleep 1
  done
  done_at=$(date +%s.%N)
  now=$(stored)
  awk -v s="$sent" -v a="$start" -v b="$done_at" -v l="$lag_max" -v got="$(( now - before ))" \
    -v drained="$(( now - stored_at_agents_done ))" -v c="$agents_done" \
    'BEGIN { printf "%d %d %.1f %.0f %d %.1f\n", s, got, b - a, l * 1000, drained, b - c }'
}

echo "==> steady: $RATE samples/s for ${DURATION}s"
read -r sent got secs lag _ _ < <(run "$RATE")
echo "RESULT run=steady offered_per_s=$RATE samples_sent=$sent samples_stored=$got seconds_to_store_all=$secs lag_p99_ms=$lag"

echo "==> capacity: $NODES synthetic agents, $PER_BATCH samples a batch, as fast as Kafka takes them, ${DURATION}s"
read -r sent got secs _ drained drain_secs < <(run 0)
capacity_rate=$(awk -v g="$got" -v s="$secs" 'BEGIN { printf "%.0f", g / s }')
drain_rate=$(awk -v g="$drained" -v s="$drain_secs" 'BEGIN { printf "%.0f", (s > 0) ? g / s : 0 }')
echo "RESULT run=capacity samples_sent=$sent samples_stored=$got seconds_to_store_all=$secs stored_per_s=$capacity_rate"
echo "RESULT run=drain samples_stored_after_agents_stopped=$drained seconds=$drain_secs stored_per_s=$drain_rate"

echo "==> waiting for the rollups of the stored minutes (they run apart from ingest, once a minute settles)"
rollup_start=$SECONDS
for _ in $(seq 1 900); do
  [[ $(sql "select count(*) from metric_rollup_pending where bucket < now() - interval '70 seconds'") == 0 ]] && break
  sleep 1
done
echo "RESULT rollups_done_seconds_after_last_sample_stored=$((SECONDS - rollup_start))"

echo "==> baseline: PostgreSQL's COPY of the same rows (series, times, values) into the same table"
rows=$(mktemp)
psql -h 127.0.0.1 -U monitoring -d devops -v ON_ERROR_STOP=1 -q -c "\\copy (select s.series_id, s.ts, s.value from monitoring.metric_sample s join monitoring.metric_series m on m.id = s.series_id where m.node_id like 'bench-%') to '$rows'"
copy_rows=$(wc -l <"$rows")
copy_start=$(date +%s.%N)
psql -h 127.0.0.1 -U monitoring -d devops -v ON_ERROR_STOP=1 -q -c "\\copy monitoring.metric_sample (series_id, ts, value) from '$rows'"
copy_end=$(date +%s.%N)
rm -f "$rows"
copy_rate=$(awk -v n="$copy_rows" -v a="$copy_start" -v b="$copy_end" 'BEGIN { printf "%.0f", n / (b - a) }')
echo "RESULT baseline_copy_per_s=$copy_rate capacity_vs_copy=$(awk -v p="$capacity_rate" -v c="$copy_rate" 'BEGIN { printf "%.2f", p / c }') drain_vs_copy=$(awk -v p="$drain_rate" -v c="$copy_rate" 'BEGIN { printf "%.2f", p / c }')"
