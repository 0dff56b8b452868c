#!/usr/bin/env bash
# Footprint benchmark: the collector agent beside Debian's prometheus-node-exporter on this machine,
# both read every INTERVAL seconds for SECONDS seconds. node_exporter reads the host when it is
# scraped, so both are scraped at the interval (as a Prometheus would); the agent also reads on its
# own timer and publishes each batch to Kafka, which is its normal work. After a warm-up (start-up
# and the JIT's first compilations are not what a node pays by the hour), reports each one's CPU
# seconds per hour (user + system, from /proc/<pid>/stat) and its RSS (mean and max, sampled each
# second), and the agent's ratios to node_exporter.
# Usage: bench/footprint.sh [seconds=300] [interval_seconds=15] [warmup_seconds=60]
# Starts the platform (for its Kafka broker) with ./platform up if the broker is not answering, and
# installs prometheus-node-exporter from Debian's packages if it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN=${1:-300}
INTERVAL=${2:-15}
WARMUP=${3:-60}
AGENT_PORT=18085
EXPORTER_PORT=19100
BOOTSTRAP=${KAFKA_BOOTSTRAP:-127.0.0.1:9092}
WORK=$(mktemp -d)
pids=()

cleanup() {
  for pid in "${pids[@]+"${pids[@]}"}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

exporter=$(command -v prometheus-node-exporter || true)
if [[ -z $exporter ]]; then
  echo "==> installing prometheus-node-exporter from Debian's packages"
  apt-get install -y -qq prometheus-node-exporter >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq prometheus-node-exporter >/dev/null; }
  exporter=$(command -v prometheus-node-exporter)
fi
bash -c "exec 3<>/dev/tcp/${BOOTSTRAP%:*}/${BOOTSTRAP#*:}" 2>/dev/null || ./platform up
jar=collector-agent/target/quarkus-app/quarkus-run.jar
[[ -f $jar ]] || ./mvnw -q -pl collector-agent -am package -DskipTests
# The same JVM options and malloc setting ./platform and the DaemonSet give the agent.
read -r -a agent_options < <(awk -F'"' '/^  "collector-agent / { sub(/^collector-agent [0-9]+ [^ ]+ /, "", $2); print $2 }' platform)

echo "==> node_exporter $("$exporter" --version 2>&1 | head -1 | awk '{ print $3 }') on :$EXPORTER_PORT"
"$exporter" --web.listen-address="127.0.0.1:$EXPORTER_PORT" >"$WORK/node-exporter.log" 2>&1 &
pids+=($!)
exporter_pid=$!
echo "==> collector-agent (java ${agent_options[*]}) on :$AGENT_PORT, every ${INTERVAL}s"
env MALLOC_ARENA_MAX=2 QUARKUS_HTTP_PORT=$AGENT_PORT KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" COLLECTOR_INTERVAL="${INTERVAL}s" \
  COLLECTOR_NODE_ID=bench-footprint COLLECTOR_BUFFER_DIRECTORY="$WORK/buffer" \
  java "${agent_options[@]}" -jar "$jar" >"$WORK/agent.log" 2>&1 &
pids+=($!)
agent_pid=$!
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$AGENT_PORT/q/health/ready" &&
    curl -sf -o /dev/null "http://127.0.0.1:$EXPORTER_PORT/metrics" && break
  sleep 1
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
scrape() {
  curl -sf -o /dev/null "http://127.0.0.1:$EXPORTER_PORT/metrics"
  curl -sf -o /dev/null "http://127.0.0.1:$AGENT_PORT/metrics"
}

echo "==> warm-up: ${WARMUP}s"
end=$((SECONDS + WARMUP))
while ((SECONDS < end)); do scrape; sleep "$INTERVAL"; done

echo "==> measuring: ${SECONDS_TO_RUN}s"
hz=$(getconf CLK_TCK)
agent_cpu0=$(cpu_ticks "$agent_pid")
exporter_cpu0=$(cpu_ticks "$exporter_pid")
start=$(date +%s.%N)
next_scrape=$SECONDS
end=$((SECONDS + SECONDS_TO_RUN))
: >"$WORK/rss"
while ((SECONDS < end)); do
  if ((SECONDS >= next_scrape)); then
    scrape
    next_scrape=$((next_scrape + INTERVAL))
  fi
  echo "$(rss_kb "$agent_pid") $(rss_kb "$exporter_pid")" >>"$WORK/rss"
  sleep 1
done
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
agent_cpu=$(($(cpu_ticks "$agent_pid") - agent_cpu0))
exporter_cpu=$(($(cpu_ticks "$exporter_pid") - exporter_cpu0))
sent=$(curl -sf "http://127.0.0.1:$AGENT_PORT/q/metrics" | awk '/^collector_batches_sent_total/ { printf "%d", $2 }')

awk -v hz="$hz" -v t="$elapsed" -v ac="$agent_cpu" -v ec="$exporter_cpu" -v sent="${sent:-0}" '
  { a += $1; e += $2; n++; if ($1 > am) am = $1; if ($2 > em) em = $2 }
  END {
    acpu = ac / hz * 3600 / t; ecpu = ec / hz * 3600 / t
    printf "RESULT who=collector-agent cpu_s_per_hour=%.1f rss_mean_mb=%.1f rss_max_mb=%.1f batches_sent=%d\n", acpu, a / n / 1024, am / 1024, sent
    printf "RESULT who=node_exporter cpu_s_per_hour=%.1f rss_mean_mb=%.1f rss_max_mb=%.1f\n", ecpu, e / n / 1024, em / 1024
    printf "RESULT agent_vs_node_exporter cpu=%.2f rss_max=%.2f\n", (ecpu > 0) ? acpu / ecpu : 0, am / em
  }' "$WORK/rss"
