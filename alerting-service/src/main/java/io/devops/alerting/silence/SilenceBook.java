package io.devops.alerting.silence;

import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import io.devops.common.sql.JsonColumns;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.devops.common.time.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Silences: created with matchers and a reason, listed by state, ended early by hand. */
@ApplicationScoped
public class SilenceBook {
    public static final String PENDING = "pending";
    public static final String ACTIVE = "active";
    public static final String EXPIRED = "expired";
    private static final int LISTED = 1000;

    private final Silences silences;
    private final Pool pool;
    private final JsonColumns json;
    private final MeterRegistry meters;
    private final InstantSource clock;

    SilenceBook(Silences silences, Pool pool, JsonColumns json, MeterRegistry meters, InstantSource clock) {
        this.silences = silences;
        this.pool = pool;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    @WithSpan("alerting.silences.create")
    public Uni<SilenceView> create(@NotNull(message = "a JSON body is required") @Valid SilenceRequest request, String actor) {
        List<Problem.FieldError> errors = new ArrayList<>();
        List<String> matchers = new ArrayList<>();
        for (int i = 0; i < request.matchers().size(); i++) {
            try {
                matchers.add(LabelMatcher.parse(request.matchers().get(i)).toString());
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("matchers[" + i + "]", e.getMessage()));
            }
        }
        OffsetDateTime now = Timestamps.now(clock);
        OffsetDateTime starts = request.startsAt() == null || request.startsAt().isBefore(now) ? now
                : request.startsAt().truncatedTo(ChronoUnit.MICROS);
        OffsetDateTime ends = request.endsAt().truncatedTo(ChronoUnit.MICROS);
        if (!ends.isAfter(starts)) {
            errors.add(new Problem.FieldError("ends_at", "must be after starts_at (or now, when starts_at is left out or past)"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("the silence is invalid", errors);
        }
        Silence silence = new Silence();
        silence.id = UUID.randomUUID();
        silence.matchers = json.write(matchers);
        silence.startsAt = starts;
        silence.endsAt = ends;
        silence.createdBy = actor;
        silence.comment = request.comment().strip();
        silence.createdAt = now;
        silence.updatedAt = now;
        return silences.insert(pool, silence).invoke(() -> meters.counter("alerting.silences.created").increment())
                .map(ignored -> view(silence));
    }

    @WithSpan("alerting.silences.list")
    public Uni<List<SilenceView>> list(String state) {
        OffsetDateTime now = Timestamps.now(clock);
        Uni<List<Silence>> found = state == null ? silences.list(pool, null, "ends_at desc", now, LISTED)
                : switch (state) {
                    case PENDING -> silences.list(pool, "starts_at > $1", "starts_at", now, LISTED);
                    case ACTIVE -> silences.list(pool, "starts_at <= $1 and ends_at > $1", "ends_at", now, LISTED);
                    default -> silences.list(pool, "ends_at <= $1", "ends_at desc", now, LISTED);
                };
        return found.map(rows -> rows.stream().map(this::view).toList());
    }

    @WithSpan("alerting.silences.get")
    public Uni<SilenceView> get(@SpanAttribute("silence.id") UUID id) {
        return silences.find(pool, id, false).map(found -> view(require(found, id)));
    }

    /** Ends a silence now; the alerts it muted that still fire are announced as for any silence that ends. */
    @WithSpan("alerting.silences.expire")
    public Uni<SilenceView> expire(@SpanAttribute("silence.id") UUID id) {
        return pool.withTransaction(connection -> silences.find(connection, id, true).chain(found -> {
            Silence silence = require(found, id);
            OffsetDateTime now = Timestamps.now(clock);
            if (!silence.endsAt.isAfter(now)) {
                throw ProblemException.conflict("silence " + id + " ended at " + silence.endsAt);
            }
            if (silence.startsAt.isAfter(now)) {
                silence.startsAt = now.minus(1, ChronoUnit.MICROS);
            }
            silence.endsAt = now;
            silence.updatedAt = now;
            return silences.reschedule(connection, silence).map(ignored -> view(silence));
        }));
    }

    private SilenceView view(Silence silence) {
        OffsetDateTime now = Timestamps.now(clock);
        String state = silence.startsAt.isAfter(now) ? PENDING : silence.endsAt.isAfter(now) ? ACTIVE : EXPIRED;
        return new SilenceView(silence.id, silences.matchers(silence), silence.startsAt, silence.endsAt,
                state, silence.createdBy, silence.comment, silence.createdAt, silence.updatedAt, silence.endedNoticeAt);
    }

    private static Silence require(Silence silence, UUID id) {
        if (silence == null) {
            throw ProblemException.notFound("no silence with id " + id);
        }
        return silence;
    }

}
