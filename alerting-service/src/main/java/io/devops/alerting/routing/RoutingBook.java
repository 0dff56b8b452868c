package io.devops.alerting.routing;

import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.devops.common.sql.JsonColumns;
import io.devops.alerting.channel.ChannelReferences;
import io.devops.alerting.channel.ChannelTargets;
import io.devops.common.PlatformSettings;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.devops.common.time.Timestamps;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The routing document: stored as one row, replaced whole (with a version), and compiled once per
 * version for the notification path. The channels it names are kept from being renamed or deleted.
 */
@ApplicationScoped
public class RoutingBook implements ChannelReferences {
    private final JsonColumns json;
    private final ChannelTargets channels;
    private final Pool pool;
    private final InstantSource clock;
    private final String table;
    private final AtomicReference<Compiled> compiled = new AtomicReference<>(new Compiled(0, null));

    /** The routing as the API shows it. */
    public record RoutingView(long version, RouteSpec route, List<InhibitRule> inhibitRules, OffsetDateTime updatedAt,
            String updatedBy) {
    }

    private record Compiled(long version, RoutingTree tree) {
    }

    RoutingBook(JsonColumns json, ChannelTargets channels, Pool pool, PlatformSettings settings, InstantSource clock) {
        this.json = json;
        this.channels = channels;
        this.pool = pool;
        this.clock = clock;
        this.table = settings.schema() + ".routing";
    }

    @WithSession
    @WithSpan("alerting.routing.get")
    public Uni<RoutingView> get() {
        return row().map(found -> found == null
                ? new RoutingView(0, RoutingDocument.empty().route(), List.of(), null, null)
                : view(found));
    }

    /** Replaces the routing after checking it against the channels that exist; 400 with every problem otherwise. */
    @WithTransaction
    @WithSpan("alerting.routing.replace")
    public Uni<RoutingView> replace(RoutingDocument document, String actor) {
        return channels.idsByName(pool).chain(idsByName -> {
            RoutingTree tree = compileOrProblem(document, idsByName.keySet());
            OffsetDateTime now = Timestamps.now(clock);
            RoutingDocument stored = new RoutingDocument(document.route(),
                    document.inhibitRules() == null ? List.of() : document.inhibitRules());
            return Panache.getSession().chain(session -> session.createNativeQuery("insert into " + table
                    + " (id, version, document, updated_at, updated_by) values (1, 1, cast(cast(:document as text) as jsonb), :now, :actor)"
                    + " on conflict (id) do update set version = " + table + ".version + 1, document = excluded.document,"
                    + " updated_at = excluded.updated_at, updated_by = excluded.updated_by returning cast(version as text)", String.class)
                    .setParameter("document", json.write(stored)).setParameter("now", now).setParameter("actor", actor)
                    .getSingleResult())
                    .map(version -> {
                        compiled.set(new Compiled(Long.parseLong(version), tree));
                        return new RoutingView(Long.parseLong(version), stored.route(), stored.inhibitRules(), now, actor);
                    });
        });
    }

    /** Replaces the routing unless the stored one says the same (a restart with the same file changes nothing). */
    @WithTransaction
    public Uni<RoutingView> replaceIfChanged(RoutingDocument document, String actor) {
        RoutingDocument normalised = new RoutingDocument(document.route(),
                document.inhibitRules() == null ? List.of() : document.inhibitRules());
        return row().chain(stored -> stored != null && stored.documentNode().equals(json.tree(json.write(normalised)))
                ? Uni.createFrom().item(view(stored))
                : replace(document, actor));
    }

    /** The names of the channels the stored routing uses (a channel in use cannot be deleted). */
    @Override
    public Uni<Set<String>> channelsInUse(SqlClient client) {
        return client.preparedQuery("select document::text from " + table + " where id = 1").execute().map(rows -> {
            Set<String> names = new HashSet<>();
            if (rows.size() > 0) {
                collect(json.read(rows.iterator().next().getString(0), RoutingDocument.class).route(), names);
            }
            return names;
        });
    }

    /**
     * The compiled tree for a stored version and document, compiled once per version. Channel
     * names are not checked here: a channel deleted since fails its deliveries, visibly.
     */
    public RoutingTree tree(long version, String document) {
        Compiled current = compiled.get();
        if (current.version() == version && current.tree() != null) {
            return current.tree();
        }
        RoutingTree tree = version == 0 ? RoutingTree.compile(RoutingDocument.empty(), Set.of())
                : RoutingTree.compile(json.read(document, RoutingDocument.class), null);
        compiled.set(new Compiled(version, tree));
        return tree;
    }

    /** The compiled tree as stored now, read in the transaction of {@code connection}. */
    public Uni<RoutingTree> tree(SqlConnection connection) {
        return connection.preparedQuery("select version, document::text from " + table + " where id = 1").execute()
                .map(rows -> {
                    if (rows.size() == 0) {
                        return tree(0, null);
                    }
                    Row row = rows.iterator().next();
                    return tree(row.getLong(0), row.getString(1));
                });
    }

    /** The routing row in the current session: version and document, or null when never set. */
    public Uni<StoredRouting> row() {
        return Panache.getSession().chain(session -> session.createNativeQuery("select cast(json_build_object('version', version,"
                + " 'document', document, 'updated_at', updated_at, 'updated_by', updated_by) as text) from " + table
                + " where id = 1", String.class).getSingleResultOrNull())
                .map(found -> found == null ? null : readRow(found));
    }

    /** The stored row; the document stays JSON text, compiled only when its version is new. */
    @RegisterForReflection
    public record StoredRouting(long version, JsonNode documentNode, OffsetDateTime updatedAt, String updatedBy) {

        public String document() {
            return documentNode.toString();
        }
    }

    private StoredRouting readRow(String row) {
        JsonNode node = json.tree(row);
        return new StoredRouting(node.get("version").asLong(), node.get("document"),
                OffsetDateTime.parse(node.get("updated_at").asText()), node.get("updated_by").isNull() ? null
                        : node.get("updated_by").asText());
    }

    private RoutingView view(StoredRouting stored) {
        RoutingDocument document = json.read(stored.document(), RoutingDocument.class);
        return new RoutingView(stored.version(), document.route(),
                document.inhibitRules() == null ? List.of() : document.inhibitRules(), stored.updatedAt(), stored.updatedBy());
    }

    private static RoutingTree compileOrProblem(RoutingDocument document, Set<String> names) {
        try {
            return RoutingTree.compile(document, names);
        } catch (InvalidRoutingException e) {
            List<Problem.FieldError> errors = e.problems().stream().map(problem -> {
                int colon = problem.indexOf(": ");
                return new Problem.FieldError(problem.substring(0, colon), problem.substring(colon + 2));
            }).toList();
            throw ProblemException.invalidFields("the routing is invalid: " + e.getMessage(), errors);
        }
    }

    private static void collect(RouteSpec route, Set<String> names) {
        if (route == null) {
            return;
        }
        if (route.channels() != null) {
            names.addAll(route.channels());
        }
        if (route.escalations() != null) {
            route.escalations().stream().filter(step -> step != null && step.channels() != null)
                    .forEach(step -> names.addAll(step.channels()));
        }
        if (route.routes() != null) {
            route.routes().forEach(child -> collect(child, names));
        }
    }
}
