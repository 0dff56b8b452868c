package io.devops.monitoring.incident;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.smallrye.mutiny.Uni;

/** Incidents: when services were unhealthy, for how long, and the first error. */
@Path("/monitoring/incidents")
@Tag(name = "incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {
    static final String TOTAL_COUNT = "X-Total-Count";

    private final IncidentQueries incidents;

    IncidentResource(IncidentQueries incidents) {
        this.incidents = incidents;
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Incidents, newest first", description = "The total across pages is in X-Total-Count.")
    @APIResponse(responseCode = "200", description = "A page of incidents", headers = @Header(name = TOTAL_COUNT),
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = IncidentView.class)))
    @APIResponse(responseCode = "400", description = "Invalid filter or paging", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> list(@QueryParam("service_id") String serviceId,
            @Parameter(description = "open or closed") @QueryParam("state") String state,
            @Parameter(description = "RFC 3339: incidents still going at or after this time") @QueryParam("from") String from,
            @Parameter(description = "RFC 3339: incidents started before this time") @QueryParam("to") String to,
            @Parameter(description = "1 to 1000", schema = @Schema(defaultValue = "100")) @QueryParam("limit") String limit,
            @Parameter(description = "0 to 100000", schema = @Schema(defaultValue = "0")) @QueryParam("skip") String skip) {
        var service = QueryParams.uuid("service_id", serviceId);
        String onlyState = QueryParams.oneOf("state", state, List.of("open", "closed"));
        OffsetDateTime start = QueryParams.timestamp("from", from);
        OffsetDateTime end = QueryParams.timestamp("to", to);
        QueryParams.range("from", start, "to", end);
        int max = QueryParams.boundedInt("limit", limit, 100, 1, 1000);
        int offset = QueryParams.boundedInt("skip", skip, 0, 0, 100_000);
        return incidents.find(service, onlyState == null ? null : onlyState.equals("open"), start, end, max, offset)
                .map(page -> Response.ok(page.incidents()).header(TOTAL_COUNT, page.total()).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "One incident")
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<IncidentView> get(@PathParam("id") String id) {
        return incidents.get(PathIds.parse("incident", id));
    }
}
