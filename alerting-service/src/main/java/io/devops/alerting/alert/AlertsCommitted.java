package io.devops.alerting.alert;

/**
 * A CDI event: alert changes were committed that may make notification groups due (alerts opened,
 * fired again or resolved). Fired after the transaction, so an observer reads what was written.
 */
public record AlertsCommitted() {
}
