package io.devops.alerting.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.devops.alerting.channel.NotificationMessage.AlertSummary;

/**
 * A notification written for each kind of channel. Every rendering tells firing from resolved at a
 * glance (the status first, in colour where the channel has colour) and links each alert to itself,
 * its service, its check history and its incident's diagnosis.
 */
@ApplicationScoped
public class MessageFormats {
    private static final int RED = 0xD7263D;
    private static final int GREEN = 0x2EB67D;
    private static final int GREY = 0x8A8F98;
    /** Slack and Discord refuse long messages; the rest of a big group is counted, not listed. */
    private static final int LISTED = 20;

    private final ObjectMapper json;

    MessageFormats(ObjectMapper json) {
        this.json = json;
    }

    public String webhook(NotificationMessage message) {
        return write(message);
    }

    public String slack(NotificationMessage message, Map<String, Object> settings) {
        ObjectNode body = json.createObjectNode();
        body.put("text", message.subject());
        copy(settings, body, "channel", "username", "icon_emoji");
        ArrayNode attachments = body.putArray("attachments");
        ObjectNode attachment = attachments.addObject();
        attachment.put("color", String.format("#%06X", colour(message)));
        attachment.put("fallback", message.subject());
        ArrayNode blocks = attachment.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text").put("text", truncate(message.subject(), 150));
        if (message.note() != null) {
            blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn").put("text", message.note());
        }
        for (AlertSummary alert : listed(message)) {
            StringBuilder text = new StringBuilder("*").append(escapeSlack(alert.title())).append("* (").append(alert.severity())
                    .append(", ").append(alert.status()).append(")");
            if (alert.message() != null) {
                text.append('\n').append(escapeSlack(alert.message()));
            }
            if (!alert.links().isEmpty()) {
                text.append('\n');
                alert.links().forEach((name, url) -> text.append('<').append(url).append('|').append(name).append(">  "));
            }
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", truncate(text.toString(), 2900));
        }
        more(message).ifPresent(line -> blocks.addObject().put("type", "context").putArray("elements").addObject()
                .put("type", "mrkdwn").put("text", line));
        return write(body);
    }

    public String discord(NotificationMessage message, Map<String, Object> settings) {
        ObjectNode body = json.createObjectNode();
        copy(settings, body, "username");
        body.put("content", truncate(message.subject() + (message.note() == null ? "" : "\n" + message.note()), 2000));
        ArrayNode embeds = body.putArray("embeds");
        for (AlertSummary alert : listed(message).stream().limit(10).toList()) {
            ObjectNode embed = embeds.addObject();
            embed.put("title", truncate(alert.status().toUpperCase(Locale.ROOT) + ": " + alert.title(), 256));
            embed.put("color", alert.status().equals(NotificationMessage.RESOLVED) ? GREEN : colour(message));
            StringBuilder description = new StringBuilder(alert.message() == null ? "" : alert.message());
            alert.links().forEach((name, url) -> description.append("\n[").append(name).append("](").append(url).append(')'));
            embed.put("description", truncate(description.toString(), 4000));
            String self = alert.links().get("alert");
            if (self != null && self.startsWith("http")) {
                embed.put("url", self);
            }
            ArrayNode fields = embed.putArray("fields");
            fields.addObject().put("name", "severity").put("value", alert.severity()).put("inline", true);
            if (alert.serviceName() != null) {
                fields.addObject().put("name", "service").put("value", alert.serviceName()).put("inline", true);
            }
            embed.put("timestamp", alert.startsAt().toString());
        }
        return write(body);
    }

    /** A PagerDuty Events API v2 event: one incident per group, triggered while it fires, resolved after. */
    public String pagerDuty(NotificationMessage message, String routingKey) {
        ObjectNode body = json.createObjectNode();
        body.put("routing_key", routingKey);
        body.put("dedup_key", message.groupKey());
        boolean firing = NotificationMessage.FIRING.equals(message.status());
        body.put("event_action", firing ? "trigger" : "resolve");
        if (firing) {
            ObjectNode payload = body.putObject("payload");
            payload.put("summary", truncate(message.subject(), 1024));
            payload.put("source", message.firing().stream().map(AlertSummary::serviceName).filter(s -> s != null).findFirst()
                    .orElse("alerting-service"));
            payload.put("severity", message.firing().stream().anyMatch(a -> "critical".equals(a.severity())) ? "critical"
                    : message.firing().stream().anyMatch(a -> "warning".equals(a.severity())) ? "warning" : "info");
            payload.put("component", message.groupLabels().getOrDefault("alertname", null));
            payload.set("custom_details", json.valueToTree(Map.of("firing", message.firing().stream()
                    .map(a -> a.title() + (a.message() == null ? "" : ": " + a.message())).toList(),
                    "note", message.note() == null ? "" : message.note())));
            ArrayNode links = body.putArray("links");
            message.firing().stream().limit(LISTED).forEach(alert -> alert.links().forEach((name, url) -> {
                if (url.startsWith("http")) {
                    links.addObject().put("href", url).put("text", alert.title() + ": " + name);
                }
            }));
        }
        return write(body);
    }

    public String emailText(NotificationMessage message) {
        StringBuilder text = new StringBuilder(message.subject()).append("\n\n");
        if (message.note() != null) {
            text.append(message.note()).append("\n\n");
        }
        section(text, "Firing", message.firing());
        section(text, "Resolved", message.resolved());
        return text.toString();
    }

    public String emailHtml(NotificationMessage message) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        html.append("<h2 style=\"color:#").append(String.format("%06X", colour(message))).append("\">")
                .append(escapeHtml(message.subject())).append("</h2>");
        if (message.note() != null) {
            html.append("<p><em>").append(escapeHtml(message.note())).append("</em></p>");
        }
        htmlSection(html, "Firing", message.firing());
        htmlSection(html, "Resolved", message.resolved());
        return html.append("</body></html>").toString();
    }

    private void section(StringBuilder text, String heading, List<AlertSummary> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        text.append(heading).append(" (").append(alerts.size()).append(")\n");
        for (AlertSummary alert : alerts) {
            text.append("- ").append(alert.title()).append(" [").append(alert.severity()).append(", ").append(alert.status()).append("]\n");
            if (alert.message() != null) {
                text.append("  ").append(alert.message()).append('\n');
            }
            text.append("  since ").append(alert.startsAt()).append('\n');
            alert.labels().forEach((name, value) -> text.append("  ").append(name).append('=').append(value).append('\n'));
            alert.links().forEach((name, url) -> text.append("  ").append(name).append(": ").append(url).append('\n'));
        }
        text.append('\n');
    }

    private void htmlSection(StringBuilder html, String heading, List<AlertSummary> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        html.append("<h3>").append(heading).append(" (").append(alerts.size()).append(")</h3><ul>");
        for (AlertSummary alert : alerts) {
            html.append("<li><strong>").append(escapeHtml(alert.title())).append("</strong> (").append(escapeHtml(alert.severity()))
                    .append(", ").append(escapeHtml(alert.status())).append(")");
            if (alert.message() != null) {
                html.append("<br>").append(escapeHtml(alert.message()));
            }
            html.append("<br><small>since ").append(alert.startsAt()).append("</small><br>");
            alert.links().forEach((name, url) -> html.append("<a href=\"").append(escapeHtml(url)).append("\">")
                    .append(escapeHtml(name)).append("</a> "));
            html.append("</li>");
        }
        html.append("</ul>");
    }

    private static List<AlertSummary> listed(NotificationMessage message) {
        List<AlertSummary> all = new ArrayList<>(message.firing());
        all.addAll(message.resolved());
        return all.stream().limit(LISTED).toList();
    }

    private static Optional<String> more(NotificationMessage message) {
        int total = message.firing().size() + message.resolved().size();
        return total > LISTED ? Optional.of("and " + (total - LISTED) + " more") : Optional.empty();
    }

    private static int colour(NotificationMessage message) {
        if ("test".equals(message.kind())) {
            return GREY;
        }
        return NotificationMessage.FIRING.equals(message.status()) ? RED : GREEN;
    }

    private static void copy(Map<String, Object> settings, ObjectNode body, String... names) {
        for (String name : names) {
            if (settings.get(name) instanceof String value) {
                body.put(name, value);
            }
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notification could not be written as JSON", e);
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String escapeSlack(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
