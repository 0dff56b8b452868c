package io.devops.alerting.alert;

import jakarta.validation.constraints.Size;

/** The body of an acknowledgement or a manual resolution: an optional comment. */
public record AlertNote(@Size(max = 2000, message = "comment is at most 2000 characters") String comment) {
}
