package io.devops.alerting.silence;

import static io.devops.alerting.JsonColumns.STRINGS;
import static io.devops.common.time.Timestamps.now;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import io.devops.alerting.JsonColumns;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Silences: created with matchers and a reason, listed by state, ended early by hand. */
@ApplicationScoped
public class SilenceBook {
    public static final String PENDING = "pending";
    public static final String ACTIVE = "active";
    public static final String EXPIRED = "expired";
    private final JsonColumns json;
    private final MeterRegistry meters;

    SilenceBook(JsonColumns json, MeterRegistry meters) {
        this.json = json;
        this.meters = meters;
    }

    @WithTransaction
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
        OffsetDateTime now = now();
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
        return silence.<Silence>persist().invoke(() -> meters.counter("alerting.silences.created").increment()).map(this::view);
    }

    @WithSession
    @WithSpan("alerting.silences.list")
    public Uni<List<SilenceView>> list(String state) {
        OffsetDateTime now = now();
        var query = state == null ? Silence.<Silence>find("order by endsAt desc")
                : switch (state) {
                    case PENDING -> Silence.<Silence>find("startsAt > ?1 order by startsAt", now);
                    case ACTIVE -> Silence.<Silence>find("startsAt <= ?1 and endsAt > ?1 order by endsAt", now);
                    default -> Silence.<Silence>find("endsAt <= ?1 order by endsAt desc", now);
                };
        return query.page(0, 1000).list().map(rows -> rows.stream().map(this::view).toList());
    }

    @WithSession
    @WithSpan("alerting.silences.get")
    public Uni<SilenceView> get(@SpanAttribute("silence.id") UUID id) {
        return Silence.<Silence>findById(id).map(found -> view(require(found, id)));
    }

    /** Ends a silence now; the alerts it muted that still fire are announced as for any silence that ends. */
    @WithTransaction
    @WithSpan("alerting.silences.expire")
    public Uni<SilenceView> expire(@SpanAttribute("silence.id") UUID id) {
        return Silence.<Silence>findById(id).map(found -> {
            Silence silence = require(found, id);
            OffsetDateTime now = now();
            if (!silence.endsAt.isAfter(now)) {
                throw ProblemException.conflict("silence " + id + " ended at " + silence.endsAt);
            }
            if (silence.startsAt.isAfter(now)) {
                silence.startsAt = now.minus(1, ChronoUnit.MICROS);
            }
            silence.endsAt = now;
            silence.updatedAt = now;
            return view(silence);
        });
    }

    private SilenceView view(Silence silence) {
        OffsetDateTime now = now();
        String state = silence.startsAt.isAfter(now) ? PENDING : silence.endsAt.isAfter(now) ? ACTIVE : EXPIRED;
        return new SilenceView(silence.id, json.read(silence.matchers, STRINGS), silence.startsAt, silence.endsAt,
                state, silence.createdBy, silence.comment, silence.createdAt, silence.updatedAt, silence.endedNoticeAt);
    }

    private static Silence require(Silence silence, UUID id) {
        if (silence == null) {
            throw ProblemException.notFound("no silence with id " + id);
        }
        return silence;
    }

}
