-- Retention (AlertRetention) deletes resolved alerts by when they resolved.
create index alert_resolved_at on alert (resolved_at) where status = 'resolved';
