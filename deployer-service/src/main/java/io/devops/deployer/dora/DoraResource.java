package io.devops.deployer.dora;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.devops.common.time.Timestamps;
import io.smallrye.mutiny.Uni;

@Path("/deployments/metrics")
@Tag(name = "deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DoraResource {
    private final DoraBook book;

    DoraResource(DoraBook book) {
        this.book = book;
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "DORA figures per service and environment", description = "Deployment frequency, lead time,"
            + " change failure rate and time to restore over a window (default 30d, at most 365d) ending now.")
    public Uni<List<DoraFigures>> figures(
            @Parameter(description = "A service id") @QueryParam("service_id") String serviceId,
            @Parameter(description = "A service name") @QueryParam("service") String service,
            @QueryParam("environment") String environment,
            @Parameter(description = "A duration such as 7d or 30d") @QueryParam("window") String window) {
        OffsetDateTime to = Timestamps.now();
        Duration span = QueryParams.duration("window", window, Duration.ofDays(30), Duration.ofHours(1), Duration.ofDays(365));
        return book.figures(QueryParams.uuid("service_id", serviceId), blankToNull(service), blankToNull(environment),
                to.minus(span), to);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
