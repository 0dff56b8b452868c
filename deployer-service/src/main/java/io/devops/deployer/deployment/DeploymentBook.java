package io.devops.deployer.deployment;

import static io.devops.common.time.Timestamps.now;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import io.devops.common.events.DeploymentEvent.Status;
import io.devops.common.paging.Page;
import io.devops.common.problem.ProblemException;
import io.devops.common.time.Durations;
import io.devops.deployer.DeployerSettings;
import io.devops.deployer.catalog.CatalogServices;
import io.devops.deployer.catalog.KnownService;
import io.devops.deployer.kubernetes.Cluster;
import io.devops.deployer.kubernetes.Manifests;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * The deployments' operations as people ask for them: start (or preview) one, read the history,
 * and steer a rollout in flight (promote, pause, resume, abort, roll back). A request only writes
 * the deployment's row, its history and, where something happened, its event, in one transaction;
 * the driver does the rollout itself, woken at once by {@link RolloutRequested}.
 */
@ApplicationScoped
public class DeploymentBook {
    private static final Duration MAX_ANALYSIS = Duration.ofHours(24);
    private static final Duration MAX_RETENTION = Duration.ofDays(7);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Pool pool;
    private final DeploymentTable deployments;
    private final StepTable steps;
    private final CatalogServices catalog;
    private final Cluster cluster;
    private final RolloutPreview preview;
    private final DeployerSettings settings;
    private final Event<RolloutRequested> requests;
    private final MeterRegistry meters;

    DeploymentBook(Pool pool, DeploymentTable deployments, StepTable steps, CatalogServices catalog, Cluster cluster,
            RolloutPreview preview, DeployerSettings settings, Event<RolloutRequested> requests,
            MeterRegistry meters) {
        this.pool = pool;
        this.deployments = deployments;
        this.steps = steps;
        this.catalog = catalog;
        this.cluster = cluster;
        this.preview = preview;
        this.settings = settings;
        this.requests = requests;
        this.meters = meters;
    }

    /** What a dry run answers: the deployment as it would be created, and the objects its first step applies. */
    public record DryRun(DeploymentView deployment, List<Object> manifests) {
    }

    @WithSpan("deployer.start")
    public Uni<DeploymentView> start(@NotNull(message = "a JSON body is required") @Valid DeploymentRequest request, String actor) {
        if (!cluster.configured()) {
            return Uni.createFrom().failure(ProblemException.unavailable("no Kubernetes cluster is configured, so rollouts are"
                    + " refused: point KUBECONFIG (or ~/.kube/config) at a cluster, or run the deployer in one;"
                    + " ?dry_run=true still shows what would be applied"));
        }
        return prepare(request, actor).flatMap(deployment -> pool.withTransaction(connection -> inFlight(connection, deployment)
                .chain(() -> deployments.insert(connection, deployment))
                .onFailure(DeploymentBook::oneActiveViolated).transform(e -> inFlightConflict(deployment, null))
                .chain(() -> steps.append(connection, deployment.id, List.of(new RolloutStep("requested",
                        deployment.strategy.json() + " of " + deployment.version + " to " + deployment.environment, actor,
                        deployment.createdAt)))))
                .invoke(() -> {
                    meters.counter("deployer.requests", "strategy", deployment.strategy.json()).increment();
                    requests.fire(new RolloutRequested(deployment.id));
                })
                .chain(() -> get(deployment.id)));
    }

    @WithSpan("deployer.dry-run")
    public Uni<DryRun> dryRun(@NotNull(message = "a JSON body is required") @Valid DeploymentRequest request, String actor) {
        return prepare(request, actor).flatMap(deployment -> pool.withConnection(connection -> inFlight(connection, deployment))
                .chain(() -> preview.manifests(deployment))
                .map(manifests -> new DryRun(DeploymentView.of(deployment, List.of()), manifests)));
    }

    @WithSpan("deployer.get")
    public Uni<DeploymentView> get(@SpanAttribute("deployment.id") UUID id) {
        return pool.withConnection(connection -> deployments.find(connection, id).flatMap(found -> {
            Deployment deployment = require(found, id);
            return steps.of(connection, List.of(id)).map(history -> DeploymentView.of(deployment, history.get(id)));
        }));
    }

    @WithSpan("deployer.list")
    public Uni<Page<DeploymentView>> list(DeploymentQuery query) {
        return pool.withConnection(connection -> deployments.search(connection, query).flatMap(found -> deployments
                .count(connection, query).flatMap(total -> steps.of(connection, found.stream().map(d -> d.id).toList())
                        .map(history -> new Page<>(found.stream().map(d -> DeploymentView.of(d, history.get(d.id))).toList(),
                                total)))));
    }

    /** Ends the current canary step (or, {@code full}, every step) now, or a rollout's analysis early. */
    @WithSpan("deployer.promote")
    public Uni<DeploymentView> promote(@SpanAttribute("deployment.id") UUID id, boolean full, String actor) {
        return steer(id, deployment -> {
            if (!steerable(deployment)) {
                throw ProblemException.conflict("deployment " + id + " is " + describe(deployment) + ": there is nothing to promote");
            }
            deployment.promoteRequested = full ? "full" : "step";
            deployment.hold = false;
            return new RolloutStep("promote_requested", full ? "every remaining step" : "the current step", actor, now());
        });
    }

    /** Holds the rollout where it is: it advances no further until resumed or promoted, but its gate still acts. */
    @WithSpan("deployer.pause")
    public Uni<DeploymentView> pause(@SpanAttribute("deployment.id") UUID id, String actor) {
        return steer(id, deployment -> {
            if (!steerable(deployment)) {
                throw ProblemException.conflict("deployment " + id + " is " + describe(deployment) + ": there is nothing to pause");
            }
            deployment.hold = true;
            return new RolloutStep("paused", "by request", actor, now());
        });
    }

    /** Lets a held rollout go on; a canary step that waits for a person is ended as by a promotion. */
    @WithSpan("deployer.resume")
    public Uni<DeploymentView> resume(@SpanAttribute("deployment.id") UUID id, String actor) {
        return steer(id, deployment -> {
            if (!steerable(deployment)) {
                throw ProblemException.conflict("deployment " + id + " is " + describe(deployment) + ": there is nothing to resume");
            }
            if (!deployment.hold && deployment.status != Status.PAUSED) {
                throw ProblemException.conflict("deployment " + id + " is not paused");
            }
            boolean waitsForPerson = deployment.status == Status.PAUSED && !deployment.hold;
            deployment.hold = false;
            if (waitsForPerson) {
                deployment.promoteRequested = "step";
            }
            return new RolloutStep("resumed", null, actor, now());
        });
    }

    /** Stops the rollout and puts back what ran before it. */
    @WithSpan("deployer.abort")
    public Uni<DeploymentView> abort(@SpanAttribute("deployment.id") UUID id, String actor) {
        return steer(id, deployment -> {
            if (!steerable(deployment)) {
                throw ProblemException.conflict("deployment " + id + " is " + describe(deployment) + ": there is nothing to abort");
            }
            deployment.abortRequested = "aborted" + (actor == null ? "" : " by " + actor);
            return new RolloutStep("abort_requested", null, actor, now());
        });
    }

    /**
     * Rolls a deployment back. One in flight is aborted: its rollout puts back what ran before it.
     * One that ended is followed by a new deployment of the last revision that succeeded before it,
     * so a rollback of a rollback redeploys what the first rollback replaced.
     */
    @WithSpan("deployer.rollback")
    public Uni<RolledBack> rollback(@SpanAttribute("deployment.id") UUID id, String actor) {
        return pool.withConnection(connection -> deployments.find(connection, id)).flatMap(found -> {
            Deployment deployment = require(found, id);
            if (deployment.active()) {
                return abort(id, actor).map(view -> new RolledBack(view, false));
            }
            return redeployEarlier(deployment, actor).map(view -> new RolledBack(view, true));
        });
    }

    /** The answer to a rollback: the deployment that carries it out, and whether it is a new one. */
    public record RolledBack(DeploymentView deployment, boolean created) {
    }

    private Uni<DeploymentView> redeployEarlier(Deployment rolledBack, String actor) {
        if (!cluster.configured()) {
            return Uni.createFrom().failure(ProblemException.unavailable("no Kubernetes cluster is configured, so rollbacks are refused"));
        }
        OffsetDateTime now = now();
        Deployment rollback = new Deployment();
        return pool.withTransaction(connection -> deployments.lastSucceeded(connection, rolledBack.serviceId,
                rolledBack.environment, rolledBack.createdAt).flatMap(target -> {
                    if (target == null) {
                        throw ProblemException.conflict("no deployment of " + rolledBack.serviceName + " to "
                                + rolledBack.environment + " succeeded before " + rolledBack.id + ": there is nothing to roll back to");
                    }
                    rollback.id = UUID.randomUUID();
                    rollback.serviceId = target.serviceId;
                    rollback.serviceName = target.serviceName;
                    rollback.environment = target.environment;
                    rollback.namespace = namespace(target.environment);
                    rollback.version = target.version;
                    rollback.image = target.image;
                    rollback.strategy = Strategy.ROLLING;
                    rollback.spec = new RolloutSpec(target.replicas, target.spec.env(), target.spec.requests(),
                            target.spec.limits(), target.spec.port(), target.spec.readinessPath(), List.of(),
                            target.spec.analysis(), target.spec.failOnHealth(), target.spec.alertSeverity(),
                            target.spec.autoRollback(), target.spec.progressDeadlineSeconds(), target.spec.retention());
                    rollback.config = target.config;
                    rollback.rollbackOf = rolledBack.id;
                    rollback.requestedBy = actor;
                    rollback.commitSha = target.commitSha;
                    rollback.commitTime = null;
                    pending(rollback, now);
                    return deployments.findForUpdate(connection, rolledBack.id).flatMap(row -> inFlight(connection, rollback)
                            .chain(() -> deployments.insert(connection, rollback))
                            .onFailure(DeploymentBook::oneActiveViolated).transform(e -> inFlightConflict(rollback, null))
                            .chain(() -> {
                                row.rolledBackBy = rollback.id;
                                return deployments.save(connection, row);
                            })
                            .chain(() -> steps.append(connection, rollback.id, List.of(new RolloutStep("requested",
                                    "rollback of " + rolledBack.id + " (" + rolledBack.version + ") to " + target.version, actor, now))))
                            .chain(() -> steps.append(connection, rolledBack.id, List.of(new RolloutStep("rollback_requested",
                                    "by deployment " + rollback.id, actor, now)))));
                }))
                .invoke(() -> {
                    meters.counter("deployer.rollbacks", "kind", "requested").increment();
                    requests.fire(new RolloutRequested(rollback.id));
                })
                .chain(() -> get(rollback.id));
    }

    private interface Steering {
        RolloutStep apply(Deployment deployment);
    }

    private Uni<DeploymentView> steer(UUID id, Steering steering) {
        return pool.withTransaction(connection -> deployments.findForUpdate(connection, id).flatMap(found -> {
            Deployment deployment = require(found, id);
            RolloutStep step = steering.apply(deployment);
            deployment.nextActionAt = now();
            deployment.updatedAt = now();
            return deployments.save(connection, deployment).chain(() -> steps.append(connection, id, List.of(step)));
        })).invoke(() -> requests.fire(new RolloutRequested(id))).chain(() -> get(id));
    }

    /** Builds the deployment a request asks for, with every default filled in, or fails with what is wrong. */
    private Uni<Deployment> prepare(DeploymentRequest request, String actor) {
        String reference = reference(request);
        return catalog.find(reference).map(found -> {
            KnownService service = found.orElseThrow(() -> ProblemException.badRequest("no service '" + reference
                    + "' in the catalog: register it with the registry first (POST /services)"));
            Strategy strategy = request.strategy() == null ? Strategy.ROLLING : Strategy.fromJson(request.strategy())
                    .orElseThrow(() -> ProblemException.badRequest("strategy must be one of rolling, blue_green, canary; got '"
                            + request.strategy() + "'"));
            String environment = request.environment() != null ? request.environment()
                    : service.environment() != null ? service.environment() : "production";
            Deployment deployment = new Deployment();
            deployment.id = UUID.randomUUID();
            deployment.serviceId = service.id();
            deployment.serviceName = service.name();
            deployment.environment = environment;
            deployment.namespace = namespace(environment);
            deployment.image = image(request.version(), service);
            deployment.version = request.version();
            deployment.strategy = strategy;
            deployment.spec = spec(request, strategy);
            deployment.config = request.config() == null ? Map.of() : new TreeMap<>(request.config());
            deployment.requestedBy = actor;
            deployment.commitSha = request.commitSha();
            if (request.commitTime() != null && request.commitTime().isAfter(now().plus(CLOCK_SKEW))) {
                throw ProblemException.badRequest("commit_time " + request.commitTime() + " is in the future");
            }
            deployment.commitTime = request.commitTime();
            pending(deployment, now());
            return deployment;
        });
    }

    private static void pending(Deployment deployment, OffsetDateTime now) {
        deployment.status = Status.PENDING;
        deployment.phase = Phase.START;
        deployment.replicas = deployment.spec.replicas();
        deployment.createdAt = now;
        deployment.updatedAt = now;
        deployment.nextActionAt = now;
    }

    private RolloutSpec spec(DeploymentRequest request, Strategy strategy) {
        var defaults = settings.defaults();
        List<RolloutSpec.CanaryStep> canarySteps = List.of();
        if (request.canary() != null && strategy != Strategy.CANARY) {
            throw ProblemException.badRequest("canary steps apply only to strategy canary");
        }
        if (strategy == Strategy.CANARY) {
            canarySteps = request.canary() != null
                    ? request.canary().steps().stream().map(step -> new RolloutSpec.CanaryStep(step.weight(), step.pause())).toList()
                    : defaultSteps(defaults.canarySteps());
            int previous = 0;
            for (int i = 0; i < canarySteps.size(); i++) {
                RolloutSpec.CanaryStep step = canarySteps.get(i);
                if (step.weight() <= previous) {
                    throw ProblemException.badRequest("canary.steps[" + i + "].weight must be greater than the step before it ("
                            + previous + ")");
                }
                previous = step.weight();
                if (step.pause() != null) {
                    duration("canary.steps[" + i + "].pause", step.pause(), MAX_ANALYSIS);
                }
            }
        }
        String analysis = request.analysis() == null ? Durations.format(defaults.analysis())
                : Durations.format(duration("analysis", request.analysis(), MAX_ANALYSIS));
        String retention = request.retention() == null ? Durations.format(defaults.blueGreenRetention())
                : Durations.format(duration("retention", request.retention(), MAX_RETENTION));
        List<String> failOn = request.gate() == null || request.gate().health() == null ? List.of("unhealthy")
                : List.copyOf(new java.util.LinkedHashSet<>(request.gate().health()));
        String severity = request.gate() == null || request.gate().alertSeverity() == null ? "warning"
                : "none".equals(request.gate().alertSeverity()) ? null : request.gate().alertSeverity();
        return new RolloutSpec(request.replicas(), request.env() == null ? Map.of() : new TreeMap<>(request.env()),
                request.resources() == null || request.resources().requests() == null ? Map.of() : request.resources().requests(),
                request.resources() == null || request.resources().limits() == null ? Map.of() : request.resources().limits(),
                request.port() == null ? defaults.port() : request.port(), request.readinessPath(), canarySteps, analysis, failOn,
                severity, request.autoRollback() == null || request.autoRollback(),
                request.progressDeadlineSeconds() == null ? defaults.progressDeadlineSeconds() : request.progressDeadlineSeconds(),
                retention);
    }

    static List<RolloutSpec.CanaryStep> defaultSteps(String text) {
        List<RolloutSpec.CanaryStep> steps = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] weightAndPause = part.strip().split(":", 2);
            steps.add(new RolloutSpec.CanaryStep(Integer.parseInt(weightAndPause[0].strip()),
                    weightAndPause.length < 2 || weightAndPause[1].isBlank() ? null : weightAndPause[1].strip()));
        }
        return steps;
    }

    private static Duration duration(String field, String text, Duration max) {
        Duration duration;
        try {
            duration = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field + " must be a duration such as 30s or 5m; got '" + text + "'");
        }
        if (duration.compareTo(max) > 0) {
            throw ProblemException.badRequest(field + " must be at most " + Durations.format(max) + "; got '" + text + "'");
        }
        return duration;
    }

    private String namespace(String environment) {
        var configured = settings.environments().get(environment);
        if (configured == null) {
            throw ProblemException.badRequest("environment '" + environment + "' is not configured; known: "
                    + String.join(", ", new TreeMap<>(settings.environments()).keySet()));
        }
        return configured.namespace();
    }

    /** A tag becomes {@code <repository>:<tag>}; a reference with a registry, a path, a tag or a digest is taken whole. */
    String image(String version, KnownService service) {
        if (version.contains("/") || version.contains(":") || version.contains("@")) {
            return version;
        }
        String repository = service.image() != null ? stripTag(service.image())
                : settings.images().registry() + "/" + Manifests.appName(service.name());
        return repository + ":" + version;
    }

    private static String stripTag(String image) {
        int digest = image.indexOf('@');
        String withoutDigest = digest >= 0 ? image.substring(0, digest) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    private static String reference(DeploymentRequest request) {
        if (request.service() != null && !request.service().isBlank()) {
            if (request.serviceId() != null && !request.serviceId().toString().equalsIgnoreCase(request.service().strip())) {
                throw ProblemException.badRequest("service and service_id name different services; send one of them");
            }
            return request.service().strip();
        }
        if (request.serviceId() != null) {
            return request.serviceId().toString();
        }
        throw ProblemException.badRequest("service is required: the id or the name of a registered service");
    }

    private Uni<Void> inFlight(SqlConnection connection, Deployment deployment) {
        return deployments.active(connection, deployment.serviceId, deployment.environment).invoke(active -> {
            if (active != null) {
                throw inFlightConflict(deployment, active.id);
            }
        }).replaceWithVoid();
    }

    private static ProblemException inFlightConflict(Deployment deployment, UUID active) {
        return ProblemException.conflict("a deployment of " + deployment.serviceName + " to " + deployment.environment
                + " is in flight" + (active == null ? "" : " (" + active + ")")
                + ": wait for it to end, or abort or roll it back first");
    }

    private static boolean oneActiveViolated(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && pg.getMessage() != null && pg.getMessage().contains("deployment_one_active");
    }

    /** Whether a person can still change the rollout's course: it is in flight and not on its way back. */
    private static boolean steerable(Deployment deployment) {
        return deployment.active() && deployment.status != Status.ROLLING_BACK && deployment.abortRequested == null;
    }

    private static String describe(Deployment deployment) {
        if (deployment.abortRequested != null && deployment.active()) {
            return "being aborted";
        }
        return deployment.status.json().replace('_', ' ');
    }

    private static Deployment require(Deployment deployment, UUID id) {
        if (deployment == null) {
            throw ProblemException.notFound("no deployment with id " + id);
        }
        return deployment;
    }
}
