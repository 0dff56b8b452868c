package io.devops.deployer.deployment;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What {@code POST /deployments} takes. The service is named by {@code service} (its id or name)
 * or {@code service_id}; {@code version} is an image tag or a whole image reference. Everything
 * else has a default.
 */
public record DeploymentRequest(
        @Size(max = 200) String service,
        UUID serviceId,
        @NotBlank(message = "version is required: an image tag or a whole image reference")
        @Size(max = 400)
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._/:@+-]*", message = "must be an image tag or an image reference")
        String version,
        @Size(max = 63) String environment,
        String strategy,
        @Min(0) @Max(1000) Integer replicas,
        @Size(max = 100) Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*", message = "must be an environment variable name") String,
                @NotNull @Size(max = 4096) String> env,
        Map<String, Object> config,
        @Valid Resources resources,
        @Min(1) @Max(65535) Integer port,
        @Size(max = 200) @Pattern(regexp = "/.*", message = "must be a path starting with /") String readinessPath,
        @Valid Canary canary,
        String analysis,
        @Valid Gate gate,
        Boolean autoRollback,
        @Min(30) @Max(7200) Integer progressDeadlineSeconds,
        String retention,
        @Size(max = 100) String commitSha,
        OffsetDateTime commitTime) {

    /** Requests and limits, for example {@code {"cpu": "250m", "memory": "256Mi"}}. */
    public record Resources(@Size(max = 4) Map<@Pattern(regexp = "cpu|memory|ephemeral-storage",
            message = "must be cpu, memory or ephemeral-storage") String, @NotNull @Pattern(regexp = QUANTITY,
                    message = "must be a Kubernetes quantity, such as 250m or 256Mi") String> requests,
            @Size(max = 4) Map<@Pattern(regexp = "cpu|memory|ephemeral-storage",
                    message = "must be cpu, memory or ephemeral-storage") String, @NotNull @Pattern(regexp = QUANTITY,
                            message = "must be a Kubernetes quantity, such as 250m or 256Mi") String> limits) {
    }

    /** The canary's steps: each a share of the replicas and how long it is watched before the next. */
    public record Canary(@NotNull @Size(min = 1, max = 20) List<@NotNull @Valid Step> steps) {
    }

    /**
     * A canary step. {@code pause} is a duration ({@code 30s}, {@code 5m}); absent, the step waits
     * for {@code POST /deployments/{id}/promote}.
     */
    public record Step(@NotNull @Min(1) @Max(100) Integer weight, String pause) {
    }

    /**
     * What fails the gate: health transitions into one of {@code health} (default
     * {@code unhealthy}), and alerts firing at {@code alert_severity} or above (default
     * {@code warning}; {@code none} ignores alerts).
     */
    public record Gate(@Size(max = 3) List<@Pattern(regexp = "unhealthy|degraded|unknown",
            message = "must be unhealthy, degraded or unknown") String> health,
            @Pattern(regexp = "info|warning|critical|none", message = "must be info, warning, critical or none") String alertSeverity) {
    }

    static final String QUANTITY = "[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?";
}
