package io.devops.alerting.alert;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Follows alert changes inside the transaction that writes them: {@link AlertWriter} calls every
 * listener after the alert rows, their history and their events, on the same connection, so what
 * a listener writes commits (or rolls back) with the change. A listener adds statements per write,
 * never per alert. The notification groups implement it; the alert lifecycle knows nothing of them.
 */
public interface AlertChangeListener {

    Uni<Void> written(SqlConnection connection, AlertChanges changes);
}
