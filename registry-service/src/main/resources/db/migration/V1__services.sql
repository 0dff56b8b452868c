-- The catalog. Tags and metadata are jsonb so that "carries all these tags" and "has these
-- metadata pairs" are containment queries (@>) served by GIN indexes.
create table services (
    id                       uuid primary key,
    name                     text        not null unique,
    url                      text        not null,
    environment              text        not null,
    version                  text,
    status                   text        not null check (status in ('healthy', 'degraded', 'unhealthy', 'unknown')),
    health_status            text        not null check (health_status in ('healthy', 'degraded', 'unhealthy', 'unknown')),
    health_checked_at        timestamptz,
    tags                     jsonb       not null default '[]' check (jsonb_typeof(tags) = 'array'),
    metadata                 jsonb       not null default '{}' check (jsonb_typeof(metadata) = 'object'),
    health_check             jsonb       not null,
    lease_ttl_seconds        integer     not null check (lease_ttl_seconds > 0),
    deregister_after_seconds integer check (deregister_after_seconds > 0),
    last_seen                timestamptz,
    lease_expires_at         timestamptz,
    lease_expired_at         timestamptz,
    created_at               timestamptz not null,
    updated_at               timestamptz not null,
    revision                 bigint      not null
);

create index services_created on services (created_at, id);
create index services_environment on services (environment, created_at, id);
create index services_status on services (status);
create index services_tags on services using gin (tags jsonb_path_ops);
create index services_metadata on services using gin (metadata jsonb_path_ops);
-- The lease check looks only at services that hold or held a lease.
create index services_lease on services (lease_expires_at) where lease_expires_at is not null;
