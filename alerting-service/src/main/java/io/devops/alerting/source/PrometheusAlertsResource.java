package io.devops.alerting.source;

import java.time.Duration;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.alerting.alert.AlertBook;
import io.devops.alerting.alert.AlertFiring;
import io.devops.alerting.alert.AlertSignal;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.devops.common.security.Roles;
import io.devops.common.time.Timestamps;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /api/v2/alerts}, Alertmanager's own endpoint, so that a Prometheus points its
 * {@code alerting.alertmanagers} here. An alert whose {@code endsAt} has passed is resolved; one
 * that is firing stays open until its {@code endsAt}, which Prometheus moves forward each time it
 * re-sends the alert, so an alert it stops sending resolves by itself ({@code AlertExpiry}).
 */
@Path("/api/v2/alerts")
@Tag(name = "prometheus")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PrometheusAlertsResource {
    static final String ACTOR = "prometheus";
    /** Alertmanager's {@code resolve_timeout}: the end of an alert sent without one. */
    private static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(5);

    private final AlertBook book;
    private final InstantSource clock;

    PrometheusAlertsResource(AlertBook book, InstantSource clock) {
        this.book = book;
        this.clock = clock;
    }

    @POST
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Receive alerts from Prometheus", description = "Alertmanager's API v2; firing alerts open or fire again, ended ones resolve.")
    @APIResponse(responseCode = "200", description = "Received")
    @APIResponse(responseCode = "400", description = "Invalid alerts; none was taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> receive(@NotNull(message = "a JSON array of alerts is required")
            @Size(max = 1000, message = "at most 1000 alerts a request") List<@NotNull(message = "an alert cannot be null") @Valid PostableAlert> alerts) {
        OffsetDateTime now = Timestamps.now(clock);
        for (PostableAlert alert : alerts) {
            if (alert.startsAt() != null && alert.endsAt() != null && alert.endsAt().isBefore(alert.startsAt())) {
                throw ProblemException.badRequest("alert " + alert.labels() + " ends before it starts");
            }
        }
        List<AlertSignal> signals = alerts.stream().map(alert -> {
            AlertFiring firing = firing(alert, now);
            return firing.endsAt().isAfter(now) ? AlertSignal.fire(firing, ACTOR) : AlertSignal.resolve(firing, ACTOR);
        }).toList();
        return book.record(signals).map(ignored -> Response.ok().build());
    }

    private static AlertFiring firing(PostableAlert alert, OffsetDateTime now) {
        Map<String, String> labels = alert.labels();
        Map<String, String> annotations = new HashMap<>(alert.annotations() == null ? Map.of() : alert.annotations());
        if (alert.generatorUrl() != null) {
            annotations.put("generator_url", alert.generatorUrl());
        }
        String title = labels.getOrDefault("alertname", labels.toString());
        String message = annotations.getOrDefault("summary", annotations.get("description"));
        String service = labels.getOrDefault("service", labels.get("job"));
        OffsetDateTime endsAt = alert.endsAt() != null ? alert.endsAt() : now.plus(RESOLVE_TIMEOUT);
        return new AlertFiring("prometheus", title, message, severity(labels.get("severity")), service, labels, annotations,
                Map.of(), alert.startsAt(), endsAt);
    }

    /** Prometheus rules name severities freely; ours are three. */
    static String severity(String label) {
        if (label == null) {
            return "warning";
        }
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "critical", "error", "page", "high", "emergency", "fatal" -> "critical";
            case "info", "informational", "low", "none", "notice" -> "info";
            default -> "warning";
        };
    }
}
