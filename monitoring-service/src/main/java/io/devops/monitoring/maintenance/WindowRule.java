package io.devops.monitoring.maintenance;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/** When a maintenance window is open: between two instants, or for a duration after each time a cron expression fires. */
public sealed interface WindowRule {
    CronParser UNIX_CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    boolean covers(OffsetDateTime instant);

    /** The next time the window opens after {@code instant}, if it ever does. */
    Optional<OffsetDateTime> nextStart(OffsetDateTime instant);

    static WindowRule of(MaintenanceWindow window) {
        if (window.cron == null) {
            return new Once(window.startsAt, window.endsAt);
        }
        return recurring(window.cron, Duration.ofSeconds(window.durationSeconds), ZoneId.of(window.timeZone));
    }

    /** Parses a five-field cron expression; throws {@link IllegalArgumentException} with the parser's reason when it is not one. */
    static Recurring recurring(String cron, Duration duration, ZoneId zone) {
        return new Recurring(ExecutionTime.forCron(UNIX_CRON.parse(cron)), duration, zone);
    }

    record Once(OffsetDateTime start, OffsetDateTime end) implements WindowRule {
        @Override
        public boolean covers(OffsetDateTime instant) {
            return !instant.isBefore(start) && instant.isBefore(end);
        }

        @Override
        public Optional<OffsetDateTime> nextStart(OffsetDateTime instant) {
            return start.isAfter(instant) ? Optional.of(start) : Optional.empty();
        }
    }

    record Recurring(ExecutionTime schedule, Duration duration, ZoneId zone) implements WindowRule {
        @Override
        public boolean covers(OffsetDateTime instant) {
            ZonedDateTime local = instant.atZoneSameInstant(zone);
            return schedule.lastExecution(local).map(start -> local.isBefore(start.plus(duration))).orElse(false);
        }

        @Override
        public Optional<OffsetDateTime> nextStart(OffsetDateTime instant) {
            return schedule.nextExecution(instant.atZoneSameInstant(zone)).map(ZonedDateTime::toOffsetDateTime);
        }
    }
}
