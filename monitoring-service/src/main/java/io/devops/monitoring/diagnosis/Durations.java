package io.devops.monitoring.diagnosis;

import java.time.Duration;

/** Durations as people read them: "6 h 0 min", "45 min", "3 d 4 h". */
final class Durations {
    private Durations() {
    }

    static String text(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes < 1) {
            return duration.toSeconds() + " s";
        }
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 24 * 60) {
            return minutes / 60 + " h " + minutes % 60 + " min";
        }
        return minutes / (24 * 60) + " d " + minutes % (24 * 60) / 60 + " h";
    }
}
