package io.devops.registry.health;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** The monitoring service's check history; the caller's bearer token is passed on. */
@RegisterRestClient(configKey = "monitoring")
@RegisterClientHeaders
@Path("/monitoring/services/{id}")
@Produces(MediaType.APPLICATION_JSON)
public interface MonitoringClient {

    @GET
    @Path("/health")
    Uni<List<HealthHistoryResource.HealthCheckResult>> recentChecks(@PathParam("id") UUID id, @QueryParam("limit") int limit);
}
