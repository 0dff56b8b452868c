package io.devops.deployer.deployment;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.PlatformSettings;
import io.devops.common.events.DeploymentEvent.Status;
import io.devops.common.sql.JsonColumns;
import io.devops.common.sql.RowMapping;
import io.devops.deployer.kubernetes.WorkloadTemplate;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every statement on {@code deployment}, and its one mapping. Claims use {@code for update skip
 * locked}, so replicas never claim the same rollout; a claim lapses by itself when its replica dies.
 */
@ApplicationScoped
public class DeploymentTable {
    static final List<String> ACTIVE = List.of("pending", "in_progress", "paused", "rolling_back");

    private final RowMapping<Deployment> mapping;
    private final String table;

    DeploymentTable(JsonColumns json, PlatformSettings settings) {
        this.table = settings.schema() + ".deployment";
        this.mapping = RowMapping.of(Deployment::new)
                .column("id", d -> d.id, (d, row, i) -> d.id = row.getUUID(i))
                .column("service_id", d -> d.serviceId, (d, row, i) -> d.serviceId = row.getUUID(i))
                .column("service_name", d -> d.serviceName, (d, row, i) -> d.serviceName = row.getString(i))
                .column("environment", d -> d.environment, (d, row, i) -> d.environment = row.getString(i))
                .column("namespace", d -> d.namespace, (d, row, i) -> d.namespace = row.getString(i))
                .column("version", d -> d.version, (d, row, i) -> d.version = row.getString(i))
                .column("image", d -> d.image, (d, row, i) -> d.image = row.getString(i))
                .column("previous_version", d -> d.previousVersion, (d, row, i) -> d.previousVersion = row.getString(i))
                .column("previous_image", d -> d.previousImage, (d, row, i) -> d.previousImage = row.getString(i))
                .column("strategy", d -> d.strategy.json(), (d, row, i) -> d.strategy = Strategy.fromJson(row.getString(i)).orElseThrow())
                .json("spec", d -> json.write(d.spec), (d, row, i) -> d.spec = json.read(row.getString(i), RolloutSpec.class))
                .json("config", d -> json.write(d.config), (d, row, i) -> d.config = json.read(row.getString(i), JsonColumns.OBJECT))
                .column("status", d -> d.status.json(), (d, row, i) -> d.status = status(row.getString(i)))
                .column("phase", d -> d.phase.json(), (d, row, i) -> d.phase = Phase.fromJson(row.getString(i)))
                .column("step_index", d -> d.stepIndex, (d, row, i) -> d.stepIndex = row.getInteger(i))
                .column("replicas", d -> d.replicas, (d, row, i) -> d.replicas = row.getInteger(i))
                .column("active_color", d -> d.activeColor, (d, row, i) -> d.activeColor = row.getString(i))
                .column("target_color", d -> d.targetColor, (d, row, i) -> d.targetColor = row.getString(i))
                .json("previous_template", d -> d.previousTemplate == null ? null : json.write(d.previousTemplate),
                        (d, row, i) -> d.previousTemplate = row.getString(i) == null ? null
                                : json.read(row.getString(i), WorkloadTemplate.class))
                .column("traffic_since", d -> d.trafficSince, (d, row, i) -> d.trafficSince = row.getOffsetDateTime(i))
                .column("phase_since", d -> d.phaseSince, (d, row, i) -> d.phaseSince = row.getOffsetDateTime(i))
                .column("hold", d -> d.hold, (d, row, i) -> d.hold = row.getBoolean(i))
                .column("promote_requested", d -> d.promoteRequested, (d, row, i) -> d.promoteRequested = row.getString(i))
                .column("abort_requested", d -> d.abortRequested, (d, row, i) -> d.abortRequested = row.getString(i))
                .column("error_message", d -> d.errorMessage, (d, row, i) -> d.errorMessage = row.getString(i))
                .column("rollback_of", d -> d.rollbackOf, (d, row, i) -> d.rollbackOf = row.getUUID(i))
                .column("rolled_back_by", d -> d.rolledBackBy, (d, row, i) -> d.rolledBackBy = row.getUUID(i))
                .column("requested_by", d -> d.requestedBy, (d, row, i) -> d.requestedBy = row.getString(i))
                .column("commit_sha", d -> d.commitSha, (d, row, i) -> d.commitSha = row.getString(i))
                .column("commit_time", d -> d.commitTime, (d, row, i) -> d.commitTime = row.getOffsetDateTime(i))
                .column("created_at", d -> d.createdAt, (d, row, i) -> d.createdAt = row.getOffsetDateTime(i))
                .column("started_at", d -> d.startedAt, (d, row, i) -> d.startedAt = row.getOffsetDateTime(i))
                .column("completed_at", d -> d.completedAt, (d, row, i) -> d.completedAt = row.getOffsetDateTime(i))
                .column("updated_at", d -> d.updatedAt, (d, row, i) -> d.updatedAt = row.getOffsetDateTime(i))
                .column("next_action_at", d -> d.nextActionAt, (d, row, i) -> d.nextActionAt = row.getOffsetDateTime(i))
                .column("attempts", d -> d.attempts, (d, row, i) -> d.attempts = row.getInteger(i))
                .column("lock_version", d -> d.lockVersion, (d, row, i) -> d.lockVersion = row.getInteger(i));
    }

    public Uni<Void> insert(SqlClient client, Deployment deployment) {
        return client.preparedQuery(mapping.insert(table)).execute(mapping.tuple(deployment)).replaceWithVoid();
    }

    public Uni<Deployment> find(SqlClient client, UUID id) {
        return client.preparedQuery("select " + mapping.select() + " from " + table + " where id = $1").execute(Tuple.of(id))
                .map(mapping::first);
    }

    public Uni<Deployment> findForUpdate(SqlClient client, UUID id) {
        return client.preparedQuery("select " + mapping.select() + " from " + table + " where id = $1 for update")
                .execute(Tuple.of(id)).map(mapping::first);
    }

    /** The active deployment of a service in an environment, if any. */
    public Uni<Deployment> active(SqlClient client, UUID serviceId, String environment) {
        return client.preparedQuery("select " + mapping.select() + " from " + table
                + " where service_id = $1 and environment = $2 and status = any($3)")
                .execute(Tuple.of(serviceId, environment, ACTIVE.toArray(String[]::new))).map(mapping::first);
    }

    /** The newest deployment of a service in an environment that succeeded and was created before {@code before}. */
    public Uni<Deployment> lastSucceeded(SqlClient client, UUID serviceId, String environment, OffsetDateTime before) {
        return client.preparedQuery("select " + mapping.select() + " from " + table
                + " where service_id = $1 and environment = $2 and status = 'succeeded' and created_at < $3"
                + " order by created_at desc limit 1")
                .execute(Tuple.of(serviceId, environment, before)).map(mapping::first);
    }

    /** Whether a deployment of the service and environment was created after {@code after}. */
    public Uni<Boolean> newerExists(SqlClient client, UUID serviceId, String environment, OffsetDateTime after) {
        return client.preparedQuery("select 1 from " + table + " where service_id = $1 and environment = $2 and created_at > $3 limit 1")
                .execute(Tuple.of(serviceId, environment, after)).map(rows -> rows.size() > 0);
    }

    public Uni<List<Deployment>> search(SqlClient client, DeploymentQuery query) {
        Tuple args = Tuple.tuple();
        String where = where(query, args);
        args.addInteger(query.limit()).addInteger(query.skip());
        return client.preparedQuery("select " + mapping.select() + " from " + table + where
                + " order by created_at desc, id limit $" + (args.size() - 1) + " offset $" + args.size())
                .execute(args).map(mapping::all);
    }

    public Uni<Long> count(SqlClient client, DeploymentQuery query) {
        Tuple args = Tuple.tuple();
        return client.preparedQuery("select count(*) from " + table + where(query, args)).execute(args)
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Claims up to {@code limit} rollouts that are due and that no live replica holds, for
     * {@code owner}, until {@code until}.
     */
    public Uni<List<Deployment>> claimDue(SqlClient client, String owner, OffsetDateTime now, OffsetDateTime until, int limit) {
        return client.preparedQuery("update " + table + " set claimed_by = $1, claimed_until = $2 where id in (select id from "
                + table + " where next_action_at <= $3 and (claimed_until is null or claimed_until < $3 or claimed_by = $1)"
                + " order by next_action_at limit $4 for update skip locked) returning " + mapping.select())
                .execute(Tuple.of(owner, until, now, limit)).map(mapping::all);
    }

    /**
     * Writes the driver's decision and releases the claim, unless the row changed since it was
     * read (a person promoted, aborted or rolled back meanwhile, or a signal came) or the claim
     * lapsed and another replica took it: then nothing is written, and the rollout is decided again
     * from the new row.
     */
    public Uni<Boolean> saveDecided(SqlClient client, Deployment decided, int readVersion, String owner) {
        decided.lockVersion = readVersion + 1;
        Tuple tuple = mapping.tuple(decided).addInteger(readVersion).addString(owner);
        return client.preparedQuery(mapping.update(table) + " and lock_version = $" + (tuple.size() - 1)
                + " and claimed_by = $" + tuple.size())
                .execute(tuple).call(() -> release(client, decided.id, owner)).map(rows -> rows.rowCount() == 1);
    }

    /** Writes a change a person asked for, and makes the rollout due now. */
    public Uni<Void> save(SqlClient client, Deployment changed) {
        changed.lockVersion++;
        return client.preparedQuery(mapping.update(table)).execute(mapping.tuple(changed)).replaceWithVoid();
    }

    /**
     * Makes every active rollout of a service due now, so that its gate reads a new signal at once,
     * and makes a decision in flight for one of them stale (it read the gate before the signal), so
     * it is decided again rather than saved.
     */
    public Uni<Integer> wake(SqlClient client, UUID serviceId, String serviceName, OffsetDateTime now) {
        return client.preparedQuery("update " + table + " set next_action_at = $3, lock_version = lock_version + 1"
                + " where (service_id = $1 or service_name = $2) and status = any($4)")
                .execute(Tuple.of(serviceId, serviceName, now, ACTIVE.toArray(String[]::new))).map(rows -> rows.rowCount());
    }

    /** Releases this replica's claim; one that lapsed and another replica took is left to that one. */
    private Uni<Void> release(SqlClient client, UUID id, String owner) {
        return client.preparedQuery("update " + table + " set claimed_by = null, claimed_until = null"
                + " where id = $1 and claimed_by = $2").execute(Tuple.of(id, owner)).replaceWithVoid();
    }

    private static String where(DeploymentQuery query, Tuple args) {
        StringBuilder where = new StringBuilder(" where true");
        if (query.serviceId() != null) {
            args.addUUID(query.serviceId());
            where.append(" and service_id = $").append(args.size());
        }
        if (query.serviceName() != null) {
            args.addString(query.serviceName());
            where.append(" and lower(service_name) = lower($").append(args.size()).append(')');
        }
        if (query.environment() != null) {
            args.addString(query.environment());
            where.append(" and environment = $").append(args.size());
        }
        if (query.status() != null) {
            args.addString(query.status().json());
            where.append(" and status = $").append(args.size());
        }
        if (query.from() != null) {
            args.addOffsetDateTime(query.from());
            where.append(" and created_at >= $").append(args.size());
        }
        if (query.to() != null) {
            args.addOffsetDateTime(query.to());
            where.append(" and created_at < $").append(args.size());
        }
        return where.toString();
    }

    static Status status(String text) {
        return Status.valueOf(text.toUpperCase(java.util.Locale.ROOT));
    }
}
