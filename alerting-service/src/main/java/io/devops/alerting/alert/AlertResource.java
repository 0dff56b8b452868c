package io.devops.alerting.alert;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.security.Actor;
import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.smallrye.mutiny.Uni;

@Path("/alerts")
@Tag(name = "alerts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AlertResource {
    static final String TOTAL_COUNT = "X-Total-Count";
        private static final List<String> SEVERITIES = List.of("info", "warning", "critical");

    private final AlertBook book;

    AlertResource(AlertBook book) {
        this.book = book;
    }

    @POST
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Raise an alert by hand",
            description = "An alert with the same labels, title and service that is not resolved yet is fired again (200), not duplicated.")
    @APIResponse(responseCode = "201", description = "A new alert", content = @Content(schema = @Schema(implementation = AlertView.class)))
    @APIResponse(responseCode = "200", description = "The unresolved alert it duplicates, fired again", content = @Content(schema = @Schema(implementation = AlertView.class)))
    @APIResponse(responseCode = "400", description = "Invalid alert", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> raise(ManualAlert alert, @Context SecurityContext security) {
        return book.raise(alert, Actor.of(security)).map(fired -> fired.opened()
                ? Response.created(URI.create("/alerts/" + fired.alert().id())).entity(fired.alert()).build()
                : Response.ok(fired.alert()).build());
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "List alerts", description = "Newest first; the total across pages is in X-Total-Count.")
    @APIResponse(responseCode = "200", description = "A page of alerts", headers = @Header(name = TOTAL_COUNT),
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = AlertView.class)))
    public Uni<Response> list(
            @Parameter(description = "open, acknowledged or resolved") @QueryParam("status") String status,
            @Parameter(description = "info, warning or critical") @QueryParam("severity") String severity,
            @Parameter(description = "The service's name") @QueryParam("service_name") String serviceName,
            @Parameter(description = "The former name of service_name") @QueryParam("service") String service,
            @Parameter(description = "key=value; repeat for several, all must match") @QueryParam("label") List<String> labels,
            @Parameter(description = "Created at or after (RFC 3339)") @QueryParam("from") String from,
            @Parameter(description = "Created before (RFC 3339)") @QueryParam("to") String to,
            @Parameter(description = "At most 1000", schema = @Schema(defaultValue = "100")) @QueryParam("limit") String limit,
            @Parameter(schema = @Schema(defaultValue = "0")) @QueryParam("skip") String skip) {
        OffsetDateTime fromTime = QueryParams.timestamp("from", from);
        OffsetDateTime toTime = QueryParams.timestamp("to", to);
        QueryParams.range("from", fromTime, "to", toTime);
        AlertQuery query = new AlertQuery(QueryParams.oneOf("status", status, AlertStatus.ALL),
                QueryParams.oneOf("severity", severity, SEVERITIES), blankToNull(serviceName != null ? serviceName : service),
                QueryParams.pairs("label", labels), fromTime, toTime, QueryParams.boundedInt("limit", limit, 100, 0, 1000),
                QueryParams.boundedInt("skip", skip, 0, 0, Integer.MAX_VALUE));
        return book.list(query).map(page -> Response.ok(page.items()).header(TOTAL_COUNT, page.total()).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Get an alert with its history")
    @APIResponse(responseCode = "404", description = "No such alert", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AlertDetail> get(@PathParam("id") String id) {
        return book.get(PathIds.parse("alert", id));
    }

    @POST
    @Path("/{id}/acknowledge")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Acknowledge an open alert", description = "The caller is recorded as who acknowledged it; notifications for it stop.")
    @APIResponse(responseCode = "409", description = "The alert is not open", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AlertView> acknowledge(@PathParam("id") String id, AlertNote note, @Context SecurityContext security) {
        return book.acknowledge(PathIds.parse("alert", id), note, Actor.of(security));
    }

    @POST
    @Path("/{id}/resolve")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Resolve an alert by hand")
    @APIResponse(responseCode = "409", description = "The alert is resolved already", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AlertView> resolve(@PathParam("id") String id, AlertNote note, @Context SecurityContext security) {
        return book.resolve(PathIds.parse("alert", id), note, Actor.of(security));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
