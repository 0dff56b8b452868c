package io.devops.deployer.dora;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.devops.common.time.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;

/**
 * The DORA figures of the last 30 days as Prometheus gauges, per service and environment,
 * recomputed every minute: {@code deployer.dora.deployments.per.day}, {@code ...lead.time},
 * {@code ...change.failure.rate} and {@code ...time.to.restore} (seconds).
 */
@ApplicationScoped
public class DoraGauges {
    private static final Logger LOG = Logger.getLogger(DoraGauges.class);
    private static final Duration WINDOW = Duration.ofDays(30);

    private final DoraBook book;
    private final MultiGauge frequency;
    private final MultiGauge leadTime;
    private final MultiGauge failureRate;
    private final MultiGauge restoreTime;

    DoraGauges(DoraBook book, MeterRegistry meters) {
        this.book = book;
        this.frequency = MultiGauge.builder("deployer.dora.deployments.per.day")
                .description("Successful deployments a day over the last 30 days").register(meters);
        this.leadTime = MultiGauge.builder("deployer.dora.lead.time").baseUnit("seconds")
                .description("Median time from commit to successful deployment over the last 30 days").register(meters);
        this.failureRate = MultiGauge.builder("deployer.dora.change.failure.rate")
                .description("Share of deployments that failed or were rolled back over the last 30 days").register(meters);
        this.restoreTime = MultiGauge.builder("deployer.dora.time.to.restore").baseUnit("seconds")
                .description("Median time the service's alerts fired before resolving over the last 30 days").register(meters);
    }

    @Scheduled(every = "${deployer.dora.refresh:1m}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        OffsetDateTime to = Timestamps.now();
        try {
            List<DoraFigures> figures = book.figures(null, null, null, to.minus(WINDOW), to).await().indefinitely();
            frequency.register(rows(figures, f -> f.deploymentsPerDay()), true);
            leadTime.register(rows(figures, DoraFigures::leadTimeSeconds), true);
            failureRate.register(rows(figures, DoraFigures::changeFailureRate), true);
            restoreTime.register(rows(figures, DoraFigures::timeToRestoreSeconds), true);
        } catch (RuntimeException e) {
            LOG.debugf("DORA gauges not refreshed: %s", e.getMessage());
        }
    }

    private static List<MultiGauge.Row<?>> rows(List<DoraFigures> figures, java.util.function.Function<DoraFigures, Double> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (DoraFigures figure : figures) {
            Double number = value.apply(figure);
            if (number != null) {
                rows.add(MultiGauge.Row.of(Tags.of("service", figure.serviceName(), "environment", figure.environment()), number));
            }
        }
        return rows;
    }
}
