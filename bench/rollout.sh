#!/usr/bin/env bash
# Rollout benchmark (deployer-service): the time from a gate failing (an unhealthy transition
# published to monitoring.health) to the rollback applied to the cluster, and C rollouts requested
# at once, all to reach their end state. Each run starts its own deployer (on the platform's broker
# and PostgreSQL, with a database and consumer groups of its own) against fabric8's Kubernetes mock
# API server run by bench/RolloutBench.java, which also measures the baselines in the same run:
# a plain KafkaConsumer plus one DELETE (the floor of a gate's reaction), and the same version
# changes made as a script with kubectl would make them.
# It measures the deployer jar as built (deployer-service/target/quarkus-app); rebuild it first
# (./mvnw -B -q -o install -DskipTests -pl deployer-service -am) to measure a change.
# Usage: bench/rollout.sh [gate_services=50] [concurrent=100] [runs=3]
#   env: KAFKA_BOOTSTRAP (default 127.0.0.1:9092; ./platform up when nothing answers there),
#        DEPLOYER_BENCH_PORT (18083), MOCK_API_PORT (18443), DEPLOYER_BENCH_DB (devops_bench)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

GATES=${1:-50}
CONCURRENT=${2:-100}
RUNS=${3:-3}
BOOTSTRAP=${KAFKA_BOOTSTRAP:-127.0.0.1:9092}
PORT=${DEPLOYER_BENCH_PORT:-18083}
MOCK_PORT=${MOCK_API_PORT:-18443}
DB=${DEPLOYER_BENCH_DB:-devops_bench}
JAR=deployer-service/target/quarkus-app/quarkus-run.jar
WORK=$(mktemp -d)

port_open() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }
superuser_psql() { psql -h 127.0.0.1 -U postgres -w -v ON_ERROR_STOP=1 -q "$@"; }

port_open "${BOOTSTRAP##*:}" "${BOOTSTRAP%:*}" || ./platform up
for port in "$PORT" "$MOCK_PORT"; do
  port_open "$port" && { echo "port $port is taken: set DEPLOYER_BENCH_PORT / MOCK_API_PORT"; exit 1; }
done
if [[ ! -f $JAR ]]; then
  echo "==> building deployer-service"
  ./mvnw -B -q -o install -DskipTests -pl deployer-service -am
fi
echo "==> deployer-service: $JAR, built $(date -r "$JAR" '+%F %T')"
echo "==> the driver's classpath (deployer-service's test scope: fabric8's mock server, Kafka's client)"
./mvnw -B -q -o -pl deployer-service org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$WORK/classpath" -Dmdep.includeScope=test >"$WORK/classpath.log" 2>&1 ||
  { cat "$WORK/classpath.log"; exit 1; }
TOKEN=$(./platform token operator)

DEPLOYER_PID=""
DRIVER_PID=""
stop() { # pid
  [[ -n $1 ]] || return 0
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  stop "$DRIVER_PID"
  stop "$DEPLOYER_PID"
}
trap cleanup EXIT

echo "==> $(nproc) cores, load:$(uptime | sed 's/.*load average://'); $RUNS runs of $GATES gate samples and $CONCURRENT concurrent rollouts"
LABEL=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
for run in $(seq 1 "$RUNS"); do
  echo "==> run $run of $RUNS (load:$(uptime | sed 's/.*load average://'))"
  # A database of its own, fresh each run: the deployer's Flyway migrations make its schema.
  superuser_psql -d postgres -c "set client_min_messages = warning" -c "drop database if exists $DB with (force)" \
    -c "create database $DB"
  superuser_psql -d "$DB" -f tools/postgres/schemas.sql

  : >"$WORK/run-$run.txt"
  DEPLOYER_TOKEN=$TOKEN java -cp "$(cat "$WORK/classpath")" bench/RolloutBench.java "http://127.0.0.1:$PORT" "$BOOTSTRAP" \
    "$MOCK_PORT" "$GATES" "$CONCURRENT" "${LABEL}r$run" >"$WORK/run-$run.txt" 2>"$WORK/driver-$run.log" &
  DRIVER_PID=$!
  tail -f "$WORK/run-$run.txt" --pid "$DRIVER_PID" | grep --line-buffered -v '^RESULT' &
  for _ in $(seq 1 300); do port_open "$MOCK_PORT" && break; kill -0 "$DRIVER_PID" || break; sleep 0.2; done
  port_open "$MOCK_PORT" || { echo "the mock API server did not start:"; tail -n 30 "$WORK/driver-$run.log"; exit 1; }

  # Consumer groups of its own, new each run: health and alerts from the end of the topics (a gate
  # reads only signals after its rollout took traffic, and the topics' history would only slow the
  # start), the catalog from the beginning as always.
  group="deployer-bench-${LABEL}r$run"
  env MALLOC_ARENA_MAX=2 \
    QUARKUS_HTTP_PORT="$PORT" \
    KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" \
    QUARKUS_DATASOURCE_USERNAME=deployer \
    QUARKUS_DATASOURCE_PASSWORD=deployer \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:5432/$DB" \
    QUARKUS_OTEL_SDK_DISABLED=true \
    DEVOPS_JWT_PUBLIC_KEY="$ROOT/.platform/keys/public.pem" \
    DEVOPS_JWT_ISSUER=devops-local \
    DEVOPS_RATE_LIMIT_ENABLED=false \
    MP_MESSAGING_INCOMING_REGISTRY_SERVICES_GROUP_ID="$group" \
    MP_MESSAGING_INCOMING_MONITORING_HEALTH_GROUP_ID="$group" \
    MP_MESSAGING_INCOMING_ALERTING_ALERTS_GROUP_ID="$group" \
    MP_MESSAGING_INCOMING_MONITORING_HEALTH_AUTO_OFFSET_RESET=latest \
    MP_MESSAGING_INCOMING_ALERTING_ALERTS_AUTO_OFFSET_RESET=latest \
    KUBERNETES_MASTER="http://127.0.0.1:$MOCK_PORT" \
    KUBERNETES_TRUST_CERTIFICATES=true \
    KUBERNETES_AUTH_TRYKUBECONFIG=false \
    KUBERNETES_NAMESPACE=default \
    java -Xmx256m -jar "$JAR" >"$WORK/deployer-$run.log" 2>&1 &
  DEPLOYER_PID=$!

  status=0
  wait "$DRIVER_PID" || status=$?
  DRIVER_PID=""
  stop "$DEPLOYER_PID"
  DEPLOYER_PID=""
  if ((status != 0)); then
    echo "run $run failed (exit $status); driver log: $WORK/driver-$run.log, deployer log: $WORK/deployer-$run.log"
    tail -n 20 "$WORK/driver-$run.log"
    exit "$status"
  fi
done

echo
python3 - "$WORK" "$RUNS" <<'PY'
import statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
results = {}
for run in range(1, runs + 1):
    for line in open(f"{work}/run-{run}.txt"):
        if line.startswith("RESULT "):
            fields = dict(pair.split("=", 1) for pair in line.split()[1:])
            results.setdefault(fields.pop("phase"), []).append({k: float(v) for k, v in fields.items()})

def med(phase, key):
    return statistics.median(r[key] for r in results[phase])

gate, roll = results["gate"], results["rollouts"]
print("gate reaction (ms): run  samples  missed  rolled_back  over 250 ms  canary-deleted p50/p99/max  (decided p50/p99)"
      "  stable-restored p50/p99/max  floor p50/p99/max  metric p50/p99/max (mean)")
for i, r in enumerate(gate, 1):
    print(f"  {i:>3}  {r['samples']:>7.0f}  {r['missed']:>6.0f}  {r['rolled_back']:>11.0f}  {r['over_250ms']:>11.0f}  "
          f"{r['deleted_p50']:.0f}/{r['deleted_p99']:.0f}/{r['deleted_max']:.0f}  ({r['decided_p50']:.0f}/{r['decided_p99']:.0f})  "
          f"{r['restored_p50']:.0f}/{r['restored_p99']:.0f}/{r['restored_max']:.0f}  "
          f"{r['floor_p50']:.1f}/{r['floor_p99']:.1f}/{r['floor_max']:.1f}  "
          f"{r['metric_p50']:.0f}/{r['metric_p99']:.0f}/{r['metric_max']:.0f} ({r['metric_mean']:.0f})")
p50, p99, fp50, fp99 = med("gate", "deleted_p50"), med("gate", "deleted_p99"), med("gate", "floor_p50"), med("gate", "floor_p99")
print(f"  median: canary deleted p50 {p50:.0f} ms, p99 {p99:.0f} ms; stable restored p99 {med('gate', 'restored_p99'):.0f} ms;"
      f" floor p50 {fp50:.1f} ms, p99 {fp99:.1f} ms; ratio p50 {p50 / fp50:.1f}x, p99 {p99 / fp99:.1f}x")
held = sum(1 for r in gate if r['restored_p99'] < 2000 and r['missed'] == 0)
print(f"  goal, p99 under 2 s to the rollback applied (stable restored): {held} of {len(gate)} runs")
print()
print("concurrent rollouts: run  rollouts  succeeded  ended  wall s  p50/p99 ms   baseline wall s  p50/p99 ms  ratio")
for i, r in enumerate(roll, 1):
    print(f"  {i:>3}  {r['rollouts']:>8.0f}  {r['succeeded']:>9.0f}  {r['ended']:>5.0f}  {r['wall_s']:>6.2f}  "
          f"{r['p50_ms']:.0f}/{r['p99_ms']:.0f}   {r['baseline_wall_s']:>15.2f}  {r['baseline_p50_ms']:.0f}/{r['baseline_p99_ms']:.0f}"
          f"  {r['wall_s'] / r['baseline_wall_s']:.1f}x")
wall, base = med("rollouts", "wall_s"), med("rollouts", "baseline_wall_s")
print(f"  median: wall {wall:.2f} s against {base:.2f} s ({wall / base:.1f}x), per rollout p50 {med('rollouts', 'p50_ms'):.0f} ms,"
      f" p99 {med('rollouts', 'p99_ms'):.0f} ms; succeeded {min(r['succeeded'] for r in roll):.0f} of"
      f" {roll[0]['rollouts']:.0f} at worst")
PY
echo "logs: $WORK"
