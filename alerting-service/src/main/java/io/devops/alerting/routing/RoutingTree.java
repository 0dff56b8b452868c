package io.devops.alerting.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.devops.common.time.Durations;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A routing document checked and compiled: every matcher parsed, every duration read, every
 * channel name known, inherited settings filled in. Routing follows Alertmanager: an alert
 * descends into the first child that matches (and on to later siblings while a matched child says
 * {@code continue}); a route none of whose children match takes the alert itself.
 */
public final class RoutingTree {
    /** Groups by every label. */
    public static final String ALL_LABELS = "...";
    private static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
    private static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);
    private static final Duration LONGEST = Duration.ofDays(30);

    private final Route root;
    private final List<Inhibition> inhibitions;

    /** What a group needs from its route to be flushed, copied into the group when it forms. */
    @RegisterForReflection(targets = { Settings.class, Escalation.class })
    public record Settings(List<String> channels, long groupWaitMs, long groupIntervalMs, long repeatIntervalMs,
            List<Escalation> escalations) {
    }

    public record Escalation(long afterMs, List<String> channels) {
    }

    /** A compiled route; {@code path} names it by position ("0" the root, "0.2" its third child). */
    public record Route(String path, List<LabelMatcher> matchers, boolean continueMatching, List<String> groupBy,
            Settings settings, List<Route> children) {

        /** The grouping labels of an alert on this route: the values of its group_by labels. */
        public Map<String, String> groupLabels(Map<String, String> labels) {
            if (groupBy.contains(ALL_LABELS)) {
                return new TreeMap<>(labels);
            }
            Map<String, String> group = new TreeMap<>();
            for (String name : groupBy) {
                group.put(name, labels.getOrDefault(name, ""));
            }
            return group;
        }
    }

    public record Inhibition(List<LabelMatcher> source, List<LabelMatcher> target, List<String> equal) {

        /**
         * Whether {@code source} (unresolved) mutes {@code target} under this rule. Two alerts that
         * each match both sides do not mute each other (nor an alert itself), as in Alertmanager:
         * otherwise both would be muted and nobody told.
         */
        public boolean mutes(Map<String, String> source, Map<String, String> target) {
            if (!LabelMatcher.all(this.target, target) || !LabelMatcher.all(this.source, source)) {
                return false;
            }
            if (LabelMatcher.all(this.source, target) && LabelMatcher.all(this.target, source)) {
                return false;
            }
            for (String name : equal) {
                if (!source.getOrDefault(name, "").equals(target.getOrDefault(name, ""))) {
                    return false;
                }
            }
            return true;
        }
    }

    private RoutingTree(Route root, List<Inhibition> inhibitions) {
        this.root = root;
        this.inhibitions = inhibitions;
    }

    /**
     * Checks and compiles {@code document} against the channels that exist (null: names unchecked). Throws
     * {@link InvalidRoutingException} listing every problem, each with where it is.
     */
    public static RoutingTree compile(RoutingDocument document, Set<String> channelNames) {
        List<String> problems = new ArrayList<>();
        if (document == null || document.route() == null) {
            throw new InvalidRoutingException(List.of("route: the root route is required"));
        }
        if (document.route().matchers() != null && !document.route().matchers().isEmpty()) {
            problems.add("route.matchers: the root route matches every alert and takes no matchers");
        }
        Route root = route(document.route(), "route", "0", null, channelNames, problems);
        List<Inhibition> inhibitions = new ArrayList<>();
        List<InhibitRule> rules = document.inhibitRules() == null ? List.of() : document.inhibitRules();
        for (int i = 0; i < rules.size(); i++) {
            String where = "inhibit_rules[" + i + "]";
            InhibitRule rule = rules.get(i);
            if (rule == null) {
                problems.add(where + ": must be an object");
                continue;
            }
            List<LabelMatcher> source = matchers(rule.sourceMatchers(), where + ".source_matchers", problems);
            List<LabelMatcher> target = matchers(rule.targetMatchers(), where + ".target_matchers", problems);
            if (source.isEmpty() || target.isEmpty()) {
                problems.add(where + ": needs source_matchers and target_matchers (a rule without them would mute everything)");
            }
            List<String> equal = rule.equal() == null ? List.of() : List.copyOf(rule.equal());
            inhibitions.add(new Inhibition(source, target, equal));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRoutingException(problems);
        }
        return new RoutingTree(root, List.copyOf(inhibitions));
    }

    /**
     * The labels that routes, silences and inhibition rules match: the alert's labels, its
     * severity and its source. The platform's severity wins over a label of that name, so
     * {@code severity="critical"} means the same for every source.
     */
    public static Map<String, String> routingLabels(Map<String, String> labels, String severity, String source) {
        Map<String, String> routing = new TreeMap<>(labels);
        routing.put("severity", severity);
        routing.putIfAbsent("source", source);
        return routing;
    }

    /** The routes an alert with these routing labels takes (at least the root). */
    public List<Route> routesFor(Map<String, String> labels) {
        List<Route> matched = new ArrayList<>();
        descend(root, labels, matched);
        return matched;
    }

    public List<Inhibition> inhibitions() {
        return inhibitions;
    }

    public Route root() {
        return root;
    }

    private static void descend(Route route, Map<String, String> labels, List<Route> matched) {
        boolean childMatched = false;
        for (Route child : route.children()) {
            if (!LabelMatcher.all(child.matchers(), labels)) {
                continue;
            }
            descend(child, labels, matched);
            childMatched = true;
            if (!child.continueMatching()) {
                break;
            }
        }
        if (!childMatched) {
            matched.add(route);
        }
    }

    private static Route route(RouteSpec spec, String where, String path, Route parent, Set<String> channelNames,
            List<String> problems) {
        List<LabelMatcher> matchers = matchers(spec.matchers(), where + ".matchers", problems);
        List<String> channels = spec.channels() != null ? List.copyOf(spec.channels())
                : parent == null ? List.of() : parent.settings().channels();
        if (spec.channels() != null) {
            // an inherited list was checked where it is written
            knownChannels(channels, where + ".channels", channelNames, problems);
        }
        List<String> groupBy = spec.groupBy() != null ? List.copyOf(spec.groupBy())
                : parent == null ? List.of("alertname", "service") : parent.groupBy();
        if (spec.groupBy() != null && groupBy.contains(ALL_LABELS) && groupBy.size() > 1) {
            problems.add(where + ".group_by: \"...\" groups by every label and stands alone");
        }
        Duration groupWait = duration(spec.groupWait(), where + ".group_wait", Duration.ZERO,
                parent == null ? DEFAULT_GROUP_WAIT : Duration.ofMillis(parent.settings().groupWaitMs()), problems);
        Duration groupInterval = duration(spec.groupInterval(), where + ".group_interval", Duration.ofMillis(1),
                parent == null ? DEFAULT_GROUP_INTERVAL : Duration.ofMillis(parent.settings().groupIntervalMs()), problems);
        Duration repeatInterval = duration(spec.repeatInterval(), where + ".repeat_interval", Duration.ofMillis(1),
                parent == null ? DEFAULT_REPEAT_INTERVAL : Duration.ofMillis(parent.settings().repeatIntervalMs()), problems);
        List<Escalation> escalations = new ArrayList<>();
        if (spec.escalations() == null) {
            escalations.addAll(parent == null ? List.of() : parent.settings().escalations());
        } else {
            long previous = 0;
            for (int i = 0; i < spec.escalations().size(); i++) {
                String step = where + ".escalations[" + i + "]";
                RouteSpec.Escalation escalation = spec.escalations().get(i);
                if (escalation == null || escalation.channels() == null || escalation.channels().isEmpty()) {
                    problems.add(step + ": needs after and at least one channel");
                    continue;
                }
                Duration after = duration(escalation.after(), step + ".after", Duration.ofMillis(1), null, problems);
                if (after == null) {
                    if (escalation.after() == null) {
                        problems.add(step + ".after: is required");
                    }
                    continue;
                }
                if (i > 0 && after.toMillis() <= previous) {
                    problems.add(step + ".after: must be later than the step before");
                }
                previous = after.toMillis();
                knownChannels(escalation.channels(), step + ".channels", channelNames, problems);
                escalations.add(new Escalation(after.toMillis(), List.copyOf(escalation.channels())));
            }
        }
        Settings settings = new Settings(channels, millis(groupWait), millis(groupInterval), millis(repeatInterval),
                List.copyOf(escalations));
        Route shell = new Route(path, matchers, Boolean.TRUE.equals(spec.continueMatching()), groupBy, settings, List.of());
        List<Route> children = new ArrayList<>();
        List<RouteSpec> childSpecs = spec.routes() == null ? List.of() : spec.routes();
        for (int i = 0; i < childSpecs.size(); i++) {
            if (childSpecs.get(i) == null) {
                problems.add(where + ".routes[" + i + "]: must be an object");
                continue;
            }
            children.add(route(childSpecs.get(i), where + ".routes[" + i + "]", path + "." + i, shell, channelNames, problems));
        }
        return new Route(path, matchers, shell.continueMatching(), groupBy, settings, List.copyOf(children));
    }

    private static List<LabelMatcher> matchers(List<String> texts, String where, List<String> problems) {
        List<LabelMatcher> matchers = new ArrayList<>();
        if (texts == null) {
            return matchers;
        }
        for (int i = 0; i < texts.size(); i++) {
            try {
                matchers.add(LabelMatcher.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                problems.add(where + "[" + i + "]: " + e.getMessage());
            }
        }
        return List.copyOf(matchers);
    }

    private static void knownChannels(List<String> channels, String where, Set<String> channelNames, List<String> problems) {
        if (channelNames == null) {
            return;
        }
        for (String name : channels) {
            if (!channelNames.contains(name)) {
                problems.add(where + ": there is no channel named '" + name + "'");
            }
        }
    }

    private static Duration duration(String text, String where, Duration min, Duration inherited, List<String> problems) {
        if (text == null) {
            return inherited;
        }
        try {
            Duration value = Durations.parse(text);
            if (value.compareTo(min) < 0 || value.compareTo(LONGEST) > 0) {
                problems.add(where + ": must be between " + Durations.format(min) + " and " + Durations.format(LONGEST));
            }
            return value;
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return inherited;
        }
    }

    private static long millis(Duration duration) {
        return duration == null ? 0 : duration.toMillis();
    }
}
