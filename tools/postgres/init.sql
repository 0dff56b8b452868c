-- Databases, roles and schemas of the DevOps platform, for the local platform (devops) and
-- for the tests (devops_test).
--
-- ./platform runs this as the postgres superuser, connected to the postgres database, then
-- schemas.sql in each of the two databases. Both are idempotent: running them again changes
-- nothing (and repairs what drifted).
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
