package io.devops.registry.service;

import static io.devops.common.time.Timestamps.now;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.jboss.logging.Logger;

import io.devops.common.events.DeploymentEvent;
import io.devops.common.events.HealthCheckSpec;
import io.devops.common.events.HealthStatus;
import io.devops.common.events.HealthTransition;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.outbox.Outbox;
import io.devops.common.paging.Page;
import io.devops.common.problem.ProblemException;
import io.devops.registry.RegistrySettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The catalog's operations: registration, query, update, deregistration, the status changes that
 * health transitions and leases cause, and the versions that deployments leave running (heartbeat
 * times alone are written by the heartbeat feature, through {@link ServiceRepository#recordBeats}).
 * Each change locks the service's row, writes it and appends its snapshot to the outbox in one
 * transaction, so the {@code registry.services} topic sees every committed change, in order, and
 * nothing else.
 */
@ApplicationScoped
public class ServiceBook {
    private static final Logger LOG = Logger.getLogger(ServiceBook.class);

    private final ServiceRepository repository;
    private final ServiceMapper mapper;
    private final Outbox outbox;
    private final RegistrySettings settings;
    private final MeterRegistry meters;

    ServiceBook(ServiceRepository repository, ServiceMapper mapper, Outbox outbox, RegistrySettings settings,
            MeterRegistry meters) {
        this.repository = repository;
        this.mapper = mapper;
        this.outbox = outbox;
        this.settings = settings;
        this.meters = meters;
    }

    @WithTransaction
    @WithSpan("registry.register")
    public Uni<ServiceSnapshot> register(@NotNull(message = "a JSON body is required") @Valid ServiceRegistration request) {
        return repository.nameTaken(request.name()).flatMap(taken -> {
            if (taken) {
                return Uni.createFrom().failure(nameConflict(request.name()));
            }
            OffsetDateTime now = now();
            RegisteredService row = new RegisteredService();
            row.id = UUID.randomUUID();
            row.name = request.name();
            row.url = request.url();
            row.environment = request.environment() == null ? "production" : request.environment();
            row.version = request.version();
            row.status = HealthStatus.UNKNOWN.json();
            row.healthStatus = HealthStatus.UNKNOWN.json();
            row.tags = mapper.json(distinct(request.tags()));
            row.metadata = mapper.json(new TreeMap<>(request.metadata() == null ? Map.of() : request.metadata()));
            HealthCheckSpec check = request.healthCheck() == null ? HealthCheckSpec.defaults()
                    : request.healthCheck().withDefaultsFrom(HealthCheckSpec.defaults());
            row.healthCheck = mapper.json(check);
            row.leaseTtlSeconds = request.leaseTtlSeconds() != null ? request.leaseTtlSeconds()
                    : (int) settings.lease().defaultTtl().toSeconds();
            row.deregisterAfterSeconds = request.deregisterAfterSeconds() != null ? request.deregisterAfterSeconds()
                    : settings.lease().deregisterAfter().map(d -> (int) d.toSeconds()).orElse(null);
            row.createdAt = now;
            row.updatedAt = now;
            row.revision = 1;
            return repository.persistAndFlush(row)
                    .onFailure(UniqueViolation::is).transform(e -> nameConflict(request.name()))
                    .call(() -> publish(row, ServiceSnapshot.REGISTERED))
                    .invoke(() -> meters.counter("registry.registrations").increment())
                    .map(mapper::toSnapshot);
        });
    }

    @WithSession
    @WithSpan("registry.get")
    public Uni<ServiceSnapshot> get(@SpanAttribute("service.id") UUID id) {
        return repository.findById(id).map(row -> mapper.toSnapshot(require(row, id)));
    }

    @WithSession
    @WithSpan("registry.list")
    public Uni<Page<ServiceSnapshot>> list(ServiceQuery query) {
        return repository.search(query, mapper.json(query.tags()), mapper.json(query.metadata()))
                .map(page -> new Page<>(page.items().stream().map(mapper::toSnapshot).toList(), page.total()));
    }

    @WithTransaction
    @WithSpan("registry.update")
    public Uni<ServiceSnapshot> update(@SpanAttribute("service.id") UUID id,
            @NotNull(message = "a JSON body is required") @Valid ServiceUpdate change) {
        return repository.findForUpdate(id).flatMap(found -> {
            RegisteredService row = require(found, id);
            Uni<Boolean> nameFree = change.name() == null || change.name().equals(row.name)
                    ? Uni.createFrom().item(true)
                    : repository.nameTaken(change.name()).map(taken -> !taken);
            return nameFree.flatMap(free -> {
                if (!free) {
                    return Uni.createFrom().failure(nameConflict(change.name()));
                }
                apply(change, row);
                touch(row);
                return repository.flush()
                        .onFailure(UniqueViolation::is).transform(e -> nameConflict(change.name()))
                        .call(() -> publish(row, ServiceSnapshot.UPDATED))
                        .map(ignored -> mapper.toSnapshot(row));
            });
        });
    }

    @WithTransaction
    @WithSpan("registry.deregister")
    public Uni<Void> deregister(@SpanAttribute("service.id") UUID id) {
        return repository.findForUpdate(id).flatMap(found -> {
            RegisteredService row = require(found, id);
            return repository.delete(row)
                    .call(() -> outbox.appendTombstone(Topic.REGISTRY_SERVICES, id.toString(), ServiceSnapshot.DEREGISTERED))
                    .invoke(() -> meters.counter("registry.deregistrations", "reason", "request").increment());
        });
    }

    /**
     * Takes in a status transition from the monitoring service. Transitions older than the last
     * one applied are ignored, so a redelivered or reordered event cannot roll the status back.
     */
    @WithTransaction
    @WithSpan("registry.apply-health")
    public Uni<Void> applyHealth(HealthTransition transition) {
        return repository.findForUpdate(transition.serviceId()).flatMap(row -> {
            if (row == null) {
                LOG.debugf("health transition for unknown service %s ignored", transition.serviceId());
                return Uni.createFrom().voidItem();
            }
            if (row.healthCheckedAt != null && transition.checkedAt() != null
                    && !transition.checkedAt().isAfter(row.healthCheckedAt)) {
                return Uni.createFrom().voidItem();
            }
            row.healthStatus = transition.status().json();
            row.healthCheckedAt = transition.checkedAt();
            HealthStatus effective = StatusRule.effective(row.leaseExpiresAt, transition.status(), now());
            if (effective.json().equals(row.status)) {
                return Uni.createFrom().voidItem();
            }
            row.status = effective.json();
            touch(row);
            return publish(row, ServiceSnapshot.STATUS_CHANGED);
        });
    }

    /**
     * Takes in a step of a deployment from the deployer: the version it leaves running (see
     * {@link DeployedVersion}) becomes the service's. A deployment older than the last one applied is
     * ignored, so a redelivered or reordered event cannot roll the version back.
     */
    @WithTransaction
    @WithSpan("registry.record-deployed-version")
    public Uni<Void> recordDeployedVersion(DeploymentEvent deployment) {
        return repository.findForUpdate(deployment.serviceId()).flatMap(row -> {
            if (row == null) {
                LOG.debugf("deployment of unknown service %s ignored", deployment.serviceId());
                return Uni.createFrom().voidItem();
            }
            Optional<String> version = DeployedVersion.after(row.environment, row.versionDeployedAt, deployment);
            if (version.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            row.versionDeployedAt = deployment.occurredAt();
            if (version.get().equals(row.version)) {
                return Uni.createFrom().voidItem();
            }
            row.version = version.get();
            touch(row);
            return publish(row, ServiceSnapshot.UPDATED);
        });
    }

    /**
     * Brings one service's status in line with its lease: marks it {@code unknown} when the lease
     * lapsed, or restores it when heartbeats came back. Returns whether anything changed.
     */
    @WithTransaction
    @WithSpan("registry.reconcile-lease")
    public Uni<Boolean> reconcileLease(UUID id) {
        return repository.findForUpdate(id).flatMap(row -> {
            if (row == null) {
                return Uni.createFrom().item(false);
            }
            OffsetDateTime now = now();
            HealthStatus effective = StatusRule.effective(row.leaseExpiresAt, HealthStatus.fromJson(row.healthStatus), now);
            if (effective.json().equals(row.status)) {
                return Uni.createFrom().item(false);
            }
            boolean lapsed = row.leaseExpiresAt != null && row.leaseExpiresAt.isBefore(now);
            String type;
            if (lapsed) {
                row.leaseExpiredAt = row.leaseExpiredAt != null ? row.leaseExpiredAt : row.leaseExpiresAt;
                type = ServiceSnapshot.LEASE_EXPIRED;
                meters.counter("registry.lease.lapses").increment();
            } else {
                row.leaseExpiredAt = null;
                type = ServiceSnapshot.LEASE_RENEWED;
            }
            row.status = effective.json();
            touch(row);
            return publish(row, type).replaceWith(true);
        });
    }

    /** Deregisters a service whose lease lapsed longer ago than its deregister-after time. */
    @WithTransaction
    @WithSpan("registry.deregister-lapsed")
    public Uni<Boolean> deregisterLapsed(UUID id) {
        return repository.findForUpdate(id).flatMap(row -> {
            OffsetDateTime now = now();
            if (row == null || row.leaseExpiredAt == null || row.deregisterAfterSeconds == null
                    || !row.leaseExpiredAt.plusSeconds(row.deregisterAfterSeconds).isBefore(now)) {
                return Uni.createFrom().item(false);
            }
            LOG.infof("deregistering %s (%s): lease lapsed at %s", row.name, row.id, row.leaseExpiredAt);
            return repository.delete(row)
                    .call(() -> outbox.appendTombstone(Topic.REGISTRY_SERVICES, id.toString(), ServiceSnapshot.DEREGISTERED))
                    .invoke(() -> meters.counter("registry.deregistrations", "reason", "lease").increment())
                    .replaceWith(true);
        });
    }

    private void apply(ServiceUpdate change, RegisteredService row) {
        if (change.name() != null) {
            row.name = change.name();
        }
        if (change.url() != null) {
            row.url = change.url();
        }
        if (change.environment() != null) {
            row.environment = change.environment();
        }
        if (change.version() != null) {
            row.version = change.version();
        }
        if (change.tags() != null) {
            row.tags = mapper.json(distinct(change.tags()));
        }
        if (change.metadata() != null) {
            row.metadata = mapper.json(new TreeMap<>(change.metadata()));
        }
        if (change.healthCheck() != null) {
            HealthCheckSpec merged = change.healthCheck().withDefaultsFrom(mapper.healthCheck(row));
            if (merged.timeoutSeconds() > merged.intervalSeconds()) {
                throw ProblemException.badRequest("health_check.timeout_seconds (" + merged.timeoutSeconds()
                        + ") must not exceed health_check.interval_seconds (" + merged.intervalSeconds() + ")");
            }
            row.healthCheck = mapper.json(merged);
        }
        if (change.leaseTtlSeconds() != null) {
            row.leaseTtlSeconds = change.leaseTtlSeconds();
            if (row.lastSeen != null) {
                row.leaseExpiresAt = row.lastSeen.plusSeconds(row.leaseTtlSeconds);
            }
        }
        if (change.deregisterAfterSeconds() != null) {
            row.deregisterAfterSeconds = change.deregisterAfterSeconds();
        }
    }

    private Uni<Void> publish(RegisteredService row, String type) {
        return outbox.append(Topic.REGISTRY_SERVICES, row.id.toString(), type, mapper.toSnapshot(row));
    }

    private static void touch(RegisteredService row) {
        row.updatedAt = now();
        row.revision++;
    }

    private static RegisteredService require(RegisteredService row, UUID id) {
        if (row == null) {
            throw ProblemException.notFound("no service with id " + id);
        }
        return row;
    }

    private static ProblemException nameConflict(String name) {
        return ProblemException.conflict("a service named '" + name + "' is already registered");
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? List.of() : new ArrayList<>(new LinkedHashSet<>(values));
    }
}
