-- What alerting knows of the catalog, followed from registry.services: a service's name and tags
-- (a tag severity:<level> sets the severity of its health alerts). The revision keeps an older
-- snapshot, replayed or late, from overwriting a newer one.
create table catalog_service (
    id         uuid primary key,
    name       text        not null,
    tags       jsonb       not null,
    revision   bigint      not null,
    updated_at timestamptz not null
);
