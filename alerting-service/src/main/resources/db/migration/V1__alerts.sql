-- Alerts and their history. An alert is identified by its fingerprint (a hash of its identifying
-- labels): while one with a fingerprint is not resolved, a new firing with the same fingerprint is
-- that alert again; after it resolves, a firing is a new alert.
create table alert (
    id              uuid primary key,
    fingerprint     text        not null,
    title           text        not null,
    message         text,
    severity        text        not null check (severity in ('info', 'warning', 'critical')),
    service_name    text,
    status          text        not null check (status in ('open', 'acknowledged', 'resolved')),
    source          text        not null check (source in ('manual', 'health', 'threshold', 'deployment', 'prometheus')),
    labels          jsonb       not null,
    annotations     jsonb       not null,
    metadata        jsonb       not null,
    starts_at       timestamptz not null,
    ends_at         timestamptz,
    last_fired_at   timestamptz not null,
    fire_count      integer     not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    acknowledged_at timestamptz,
    acknowledged_by text,
    resolved_at     timestamptz,
    resolved_by     text
);

-- The deduplication rule, enforced: at most one unresolved alert per fingerprint.
create unique index alert_unresolved_fingerprint on alert (fingerprint) where status <> 'resolved';
create index alert_created_at on alert (created_at desc, id);
create index alert_status_severity on alert (status, severity);
create index alert_service_name on alert (service_name);
create index alert_labels on alert using gin (labels jsonb_path_ops);

-- What happened to an alert, oldest first: fired, fired again, acknowledged, resolved.
create table alert_history (
    id         bigint generated always as identity primary key,
    alert_id   uuid        not null references alert (id) on delete cascade,
    at         timestamptz not null,
    action     text        not null,
    actor      text,
    comment    text
);

create index alert_history_alert on alert_history (alert_id, id);
