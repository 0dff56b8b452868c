-- Databases, roles and schemas of the DevOps platform, for the local platform (devops) and
-- for the tests (devops_test).
--
-- ./platform runs this as the postgres superuser, connected to the postgres database:
--   psql -v ON_ERROR_STOP=1 -f tools/postgres/init.sql
-- It is idempotent: running it again changes nothing (and repairs what drifted).
--
-- One schema per service, owned by the service's own LOGIN role, which can touch only its
-- schema (DESIGN.md, "Data"). Locally each role's password is its name.

-- "already exists, skipping" notices say nothing useful on a re-run.
SET client_min_messages = warning;

-- Databases. CREATE DATABASE cannot run inside a DO block, hence \gexec.
SELECT format('CREATE DATABASE %I', db)
  FROM unnest(ARRAY['devops', 'devops_test']) AS db
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = db)
\gexec

-- Roles (cluster-wide, shared by both databases).
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['registry', 'monitoring', 'deployer', 'alerting'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', r, r);
    ELSE
      EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', r, r);
    END IF;
  END LOOP;
END
$$;

-- Schemas: the same in each database. A role's default search_path ("$user", public) puts
-- its own schema first.
\connect devops
SET client_min_messages = warning;
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['registry', 'monitoring', 'deployer', 'alerting'] LOOP
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', r, r);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r, r);
  END LOOP;
END
$$;
-- Nobody creates objects in public (PostgreSQL 15 already defaults to this; older ones do not).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

\connect devops_test
SET client_min_messages = warning;
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['registry', 'monitoring', 'deployer', 'alerting'] LOOP
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', r, r);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r, r);
  END LOOP;
END
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
