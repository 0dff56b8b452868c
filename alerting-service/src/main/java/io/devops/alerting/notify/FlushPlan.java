package io.devops.alerting.notify;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What one flush of a group does, as {@link FlushDecision} decides it and {@link GroupFlusher}
 * writes it: the notifications to send, the members to mark and to drop, and the group's timers
 * (or the group's removal, once every member has resolved).
 *
 * @param nextFlushAt    when the group is looked at again; null when nothing will make it due but
 *                       an alert change
 * @param lastNotifiedAt when the group was last notified, now included
 */
public record FlushPlan(UUID groupId, List<Notice> notices, List<Mark> marks, List<UUID> removedMembers, boolean groupRemoved,
        OffsetDateTime nextFlushAt, OffsetDateTime lastNotifiedAt) {

    /** Why a notification is sent; stored as its kind. */
    public enum Kind {
        FIRING, RESOLVED, REPEAT, ESCALATION, SILENCE_ENDED;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One notification: its kind, its status (firing while anything in it fires), the alerts it
     * tells about, a note on why it comes (or null), and the channels (by name) it goes to.
     */
    public record Notice(Kind kind, String status, List<GroupMember> firing, List<GroupMember> resolved, String note,
            List<String> channels) {
    }

    /** What the group has now told about a member ({@code notifiedStatus}) and its escalation steps so far. */
    public record Mark(UUID alertId, String notifiedStatus, int escalationLevel) {
    }
}
