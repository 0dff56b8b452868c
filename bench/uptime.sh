#!/usr/bin/env bash
# Uptime-report benchmark: the status report of 1,000 services over 7, 30 and 90 days from the
# hourly and daily aggregates, timed through the running monitoring-service's API, beside a
# baseline measured in the same run: the same report computed by scanning raw check results,
# for one day only (1,000 services checked every 30 s: 2.88 million rows).
# Usage: bench/uptime.sh [services=1000] [requests=20]
# Starts the platform with ./platform up if monitoring-service is not answering.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=${1:-1000}
REQUESTS=${2:-20}
MONITORING=${MONITORING_URL:-http://127.0.0.1:8082}
ENVIRONMENT="bench-uptime-$(date +%s)"

command -v hey >/dev/null || { echo "==> installing hey"; apt-get install -y -qq hey >/dev/null; }
curl -sf "$MONITORING/q/health/ready" >/dev/null || ./platform up
TOKEN=$(./platform token viewer)
sql() { psql -h 127.0.0.1 -U monitoring -d devops -v ON_ERROR_STOP=1 -qtA -c "set search_path = monitoring; $1"; }

cleanup() {
  echo "==> removing the benchmark's rows"
  sql "create temp table gone as select id from monitored_service where environment = '$ENVIRONMENT';
       delete from check_hourly where service_id in (select id from gone);
       delete from check_daily where service_id in (select id from gone);
       delete from check_result where checked_at >= now() - interval '2 days' and service_id in (select id from gone);
       delete from monitored_service where id in (select id from gone);" >/dev/null
}
trap cleanup EXIT

echo "==> seeding $SERVICES services: 90 days of hourly and daily aggregates, and one day of raw results every 30 s"
# catalog_partition -1 is no partition of registry.services, so no checker rebuild touches these rows.
sql "insert into monitored_service (id, name, environment, url, health_check, catalog_partition, revision, status)
     select gen_random_uuid(), '$ENVIRONMENT-' || i, '$ENVIRONMENT', 'http://bench.invalid/' || i, '{}'::jsonb, -1, 1, 'healthy'
     from generate_series(1, $SERVICES) i;"
sql "insert into check_hourly (service_id, bucket, checks, healthy, degraded, unhealthy, response_time_sum_ms, response_time_max_ms)
     select s.id, h, 120, 118 - (abs(hashtext(s.id::text || h::text)) % 3), 1, 1 + (abs(hashtext(s.id::text || h::text)) % 3), 120 * 25, 90
     from monitored_service s, generate_series(date_trunc('hour', now()) - interval '90 days', date_trunc('hour', now()), interval '1 hour') h
     where s.environment = '$ENVIRONMENT';"
sql "insert into check_daily (service_id, bucket, checks, healthy, degraded, unhealthy, response_time_sum_ms, response_time_max_ms)
     select service_id, date_trunc('day', bucket), sum(checks), sum(healthy), sum(degraded), sum(unhealthy), sum(response_time_sum_ms), max(response_time_max_ms)
     from check_hourly where service_id in (select id from monitored_service where environment = '$ENVIRONMENT')
     group by 1, 2;"
sql "insert into check_result (service_id, checked_at, status, reason, status_code, response_time_ms)
     select s.id, t, case when abs(hashtext(s.id::text || t::text)) % 100 = 0 then 'unhealthy' else 'healthy' end, 'ok', 200, 25
     from monitored_service s, generate_series(now() - interval '1 day' + interval '1 minute', now(), interval '30 seconds') t
     where s.environment = '$ENVIRONMENT';"
sql "analyze check_hourly; analyze check_daily; analyze check_result; analyze monitored_service;"

measure() { # window
  local url="$MONITORING/monitoring/uptime?window=$1&environment=$ENVIRONMENT"
  curl -sf -H "Authorization: Bearer $TOKEN" "$url" >/dev/null # warm-up
  hey -n "$REQUESTS" -c 1 -H "Authorization: Bearer $TOKEN" "$url" \
    | awk -v w="$1" '/Average:/ { avg = $2 * 1000 } /Slowest:/ { max = $2 * 1000 } /\[200\]/ { ok = $2 }
        END { printf "RESULT window=%s avg_ms=%.0f max_ms=%.0f ok=%d\n", w, avg, max, ok }'
}

echo "==> timing GET /monitoring/uptime ($REQUESTS requests each, one at a time)"
measure 24h
measure 7d
measure 30d
measure 90d

echo "==> baseline: the same report scanned from one day of raw results"
raw_ms=$(psql -h 127.0.0.1 -U monitoring -d devops -qtA -c "set search_path = monitoring;" -c '\timing on' -c "
  select count(*) from (
    select s.id, count(r.*), count(r.*) filter (where r.status = 'unhealthy'), avg(r.response_time_ms)
    from monitored_service s left join check_result r on r.service_id = s.id and r.checked_at >= now() - interval '1 day'
    where s.environment = '$ENVIRONMENT' group by s.id) report;" | awk '/^Time:/ { print $2 }' | tail -1)
echo "RESULT baseline_raw_1_day_ms=${raw_ms%.*} (the 30 d report from aggregates answers in the 'avg_ms' above: compare)"
