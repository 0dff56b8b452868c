-- The catalog as registry.services announces it: the services a deployment may name.
create table catalog_service (
    id           uuid primary key,
    name         text not null,
    environment  text,
    version      text,
    image        text,
    revision     bigint not null,
    updated_at   timestamptz not null
);
create index catalog_service_name on catalog_service (lower(name));

-- A deployment and the state of its rollout. The driver's state machine lives here, not in
-- memory: any replica resumes a rollout from its row once the claim of the one driving it lapses.
create table deployment (
    id                 uuid primary key,
    service_id         uuid not null,
    service_name       text not null,
    environment        text not null,
    namespace          text not null,
    version            text not null,
    image              text not null,
    previous_version   text,
    previous_image     text,
    strategy           text not null,
    spec               jsonb not null,
    config             jsonb not null,
    status             text not null,
    phase              text not null,
    step_index         int not null default 0,
    replicas           int,
    active_color       text,
    target_color       text,
    previous_template  jsonb,
    traffic_since      timestamptz,
    phase_since        timestamptz,
    hold               boolean not null default false,
    promote_requested  text,
    abort_requested    text,
    error_message      text,
    rollback_of        uuid references deployment (id),
    rolled_back_by     uuid references deployment (id),
    requested_by       text,
    commit_sha         text,
    commit_time        timestamptz,
    created_at         timestamptz not null,
    started_at         timestamptz,
    completed_at       timestamptz,
    updated_at         timestamptz not null,
    next_action_at     timestamptz,
    attempts           int not null default 0,
    claimed_by         text,
    claimed_until      timestamptz,
    lock_version       int not null default 0
);
-- One rollout at a time per service and environment: a second start loses on this index.
create unique index deployment_one_active on deployment (service_id, environment)
    where status in ('pending', 'in_progress', 'paused', 'rolling_back');
create index deployment_due on deployment (next_action_at) where next_action_at is not null;
create index deployment_history on deployment (service_id, environment, created_at desc);
create index deployment_created on deployment (created_at desc);

-- Every step of a rollout, with its time and who caused it.
create table deployment_step (
    deployment_id  uuid not null references deployment (id) on delete cascade,
    seq            int not null,
    action         text not null,
    detail         text,
    actor          text,
    at             timestamptz not null,
    primary key (deployment_id, seq)
);

-- Health transitions from monitoring.health, which the gates read.
create table health_signal (
    event_id         text primary key,
    service_id       uuid not null,
    status           text not null,
    previous_status  text,
    reason           text,
    checked_at       timestamptz not null
);
create index health_signal_service on health_signal (service_id, checked_at desc);

-- The latest state of each alert from alerting.alerts, which the gates and the DORA figures read.
create table alert_signal (
    fingerprint   text primary key,
    alert_id      uuid,
    alertname     text,
    title         text,
    service_id    uuid,
    service_name  text,
    environment   text,
    severity      text,
    status        text not null,
    starts_at     timestamptz,
    ends_at       timestamptz,
    occurred_at   timestamptz not null
);
create index alert_signal_service on alert_signal (service_id, starts_at desc);
create index alert_signal_service_name on alert_signal (service_name, starts_at desc);
