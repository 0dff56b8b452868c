-- What the monitoring service knows of each registered service: a projection of the compacted
-- registry.services topic, written by the replica that owns the service's partition, plus the
-- status the checks gave it. Every replica reads it for the dashboard and the summaries.
create table monitored_service (
    id                uuid primary key,
    name              text        not null,
    environment       text        not null,
    url               text        not null,
    version           text,
    tags              text[]      not null default '{}',
    health_check      jsonb       not null,
    catalog_partition int         not null,
    revision          bigint      not null,
    status            text        not null default 'unknown',
    status_reason     text,
    status_message    text,
    status_changed_at timestamptz,
    tls_expires_at    timestamptz,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);
create index monitored_service_environment on monitored_service (environment);
create index monitored_service_partition on monitored_service (catalog_partition);

-- Every check result, partitioned by day; retention drops whole partitions.
create sequence check_result_id_seq cache 1000;
create table check_result (
    id               bigint      not null default nextval('check_result_id_seq'),
    service_id       uuid        not null,
    checked_at       timestamptz not null,
    status           text        not null,
    reason           text        not null,
    status_code      int,
    response_time_ms int         not null,
    message          text
) partition by range (checked_at);
create index check_result_service_time on check_result (service_id, checked_at desc);
create index check_result_time on check_result (checked_at desc);
create index check_result_failures on check_result (checked_at) where status = 'unhealthy';

-- Aggregates that keep uptime and response-time windows cheap: an hour and a day per row.
create table check_hourly (
    service_id            uuid        not null,
    bucket                timestamptz not null,
    checks                int         not null,
    healthy               int         not null,
    degraded              int         not null,
    unhealthy             int         not null,
    response_time_sum_ms  bigint      not null,
    response_time_max_ms  int         not null,
    primary key (service_id, bucket)
);
create index check_hourly_bucket on check_hourly (bucket);

create table check_daily (like check_hourly including all);

-- An incident: from the first failed check of the streak that made a service unhealthy to its recovery.
create table incident (
    id                   uuid primary key,
    service_id           uuid        not null,
    service_name         text        not null,
    environment          text        not null,
    started_at           timestamptz not null,
    ended_at             timestamptz,
    first_error_reason   text        not null,
    first_error_message  text,
    first_status_code    int,
    failed_checks        int
);
create index incident_service on incident (service_id, started_at desc);
create index incident_started on incident (started_at desc);
create unique index incident_one_open on incident (service_id) where ended_at is null;

-- Windows in which a service's failures page nobody: one-off (starts_at..ends_at) or recurring (cron + duration).
create table maintenance_window (
    id               uuid primary key,
    service_id       uuid        not null,
    starts_at        timestamptz,
    ends_at          timestamptz,
    cron             text,
    duration_seconds int,
    time_zone        text        not null default 'UTC',
    reason           text,
    created_by       text,
    created_at       timestamptz not null default now(),
    check (cron is null and starts_at is not null and ends_at is not null and ends_at > starts_at
        or cron is not null and duration_seconds is not null and duration_seconds > 0)
);
create index maintenance_window_service on maintenance_window (service_id);

-- Deployments seen on deployer.deployments, for the diagnosis.
create table deployment_event (
    event_id       text primary key,
    deployment_id  uuid,
    service_id     uuid        not null,
    service_name   text,
    version        text,
    previous_version text,
    status         text        not null,
    error_message  text,
    occurred_at    timestamptz not null
);
create index deployment_event_service on deployment_event (service_id, occurred_at desc);
