package io.devops.alerting.channel;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A channel as written: secrets are write-only, and on update a secret left out keeps its value. */
public record ChannelRequest(
        @NotBlank(message = "is required")
        @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}", message = "must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
        String name,
        @NotBlank(message = "is required")
        @Schema(enumeration = { "slack", "discord", "email", "webhook", "pagerduty" })
        String type,
        @Schema(description = "slack: channel, username, icon_emoji; discord: username; email: host, port, tls (starttls, ssl, none), from, to, username; webhook: url; pagerduty: url (the Events API v2 endpoint)")
        Map<String, Object> settings,
        @Schema(description = "Write-only. slack and discord: url; email: password; webhook: hmac_secret; pagerduty: routing_key. On update, a key left out keeps its value and a key set to null is removed.")
        Map<String, String> secrets) {
}
