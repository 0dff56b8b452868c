package io.devops.alerting.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.devops.alerting.routing.RoutingTree.Escalation;
import io.devops.alerting.routing.RoutingTree.Route;
import io.devops.alerting.routing.RoutingTree.Settings;

/**
 * The routing tree, table-driven as Alertmanager's {@code dispatch/route_test.go}: which routes an
 * alert takes, what a route inherits, which group an alert joins, what makes a document invalid,
 * and when an inhibition rule mutes an alert.
 */
class RoutingTreeTest {

    // ---------------------------------------------------------------- which routes an alert takes

    /**
     * <pre>
     * 0        channels [default]
     * ├ 0.0    severity="critical", continue            [pager]
     * ├ 0.1    owner="team-A"                           [team-A]
     * │ ├ 0.1.0  env="testing"                          [testing]
     * │ ├ 0.1.1  env="production", continue             [prod-A]
     * │ └ 0.1.2  env=~"produ.*", job=~".+"              [prod-B]
     * ├ 0.2    owner=~"team-(B|C)"                      [team-BC]
     * └ 0.3    group_by="role"                          (inherits [default])
     *   └ 0.3.0  env="testing"                          [testing]
     *     └ 0.3.0.0  wait="long"                        (inherits [testing])
     * </pre>
     */
    private static final RoutingTree MATCHING = tree(root().channels("default").routes(
            route("severity=\"critical\"").continues().channels("pager"),
            route("owner=\"team-A\"").channels("team-A").routes(
                    route("env=\"testing\"").channels("testing"),
                    route("env=\"production\"").continues().channels("prod-A"),
                    route("env=~\"produ.*\"", "job=~\".+\"").channels("prod-B")),
            route("owner=~\"team-(B|C)\"").channels("team-BC"),
            route("group_by=\"role\"").routes(
                    route("env=\"testing\"").channels("testing").routes(
                            route("wait=\"long\"")))));

    /** An alert's labels and the routes it takes, each as "path channels". */
    record Routed(String name, Map<String, String> labels, List<String> routes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Routed> routed() {
        return Stream.of(
                new Routed("no labels: the root takes it", Map.of(), List.of("0 [default]")),
                new Routed("no child matches: the root takes it", Map.of("owner", "team-D"), List.of("0 [default]")),
                new Routed("regexes are anchored: team-BC is not team-(B|C)", Map.of("owner", "team-BC"),
                        List.of("0 [default]")),
                new Routed("a child none of whose children match takes it", Map.of("owner", "team-A"),
                        List.of("0.1 [team-A]")),
                new Routed("a child none of whose children match takes it (other env)",
                        Map.of("owner", "team-A", "env", "staging"), List.of("0.1 [team-A]")),
                new Routed("nested: the first matching grandchild", Map.of("owner", "team-A", "env", "testing"),
                        List.of("0.1.0 [testing]")),
                new Routed("continue goes on to a later sibling that matches",
                        Map.of("owner", "team-A", "env", "production", "job", "api"),
                        List.of("0.1.1 [prod-A]", "0.1.2 [prod-B]")),
                new Routed("continue with no later sibling matching: that route only",
                        Map.of("owner", "team-A", "env", "production"), List.of("0.1.1 [prod-A]")),
                new Routed("a later sibling matched on its own", Map.of("owner", "team-A", "env", "producers", "job", "x"),
                        List.of("0.1.2 [prod-B]")),
                new Routed("all matchers of a route must match", Map.of("owner", "team-A", "env", "producers"),
                        List.of("0.1 [team-A]")),
                new Routed("regex route, first branch", Map.of("owner", "team-B"), List.of("0.2 [team-BC]")),
                new Routed("regex route, second branch", Map.of("owner", "team-C"), List.of("0.2 [team-BC]")),
                new Routed("first match wins: a later matching sibling is not tried",
                        Map.of("owner", "team-A", "group_by", "role"), List.of("0.1 [team-A]")),
                new Routed("continue at the top, then the next matching sibling",
                        Map.of("severity", "critical", "owner", "team-B"), List.of("0.0 [pager]", "0.2 [team-BC]")),
                new Routed("a matched continue route keeps the root from taking it", Map.of("severity", "critical"),
                        List.of("0.0 [pager]")),
                new Routed("continue, then descending into the next sibling",
                        Map.of("severity", "critical", "owner", "team-A", "env", "testing"),
                        List.of("0.0 [pager]", "0.1.0 [testing]")),
                new Routed("another severity does not take the continue route", Map.of("severity", "warning", "owner", "team-C"),
                        List.of("0.2 [team-BC]")),
                new Routed("one level, channels inherited from the root", Map.of("group_by", "role"), List.of("0.3 [default]")),
                new Routed("two levels", Map.of("group_by", "role", "env", "testing"), List.of("0.3.0 [testing]")),
                new Routed("three levels, channels inherited from the parent",
                        Map.of("group_by", "role", "env", "testing", "wait", "long"), List.of("0.3.0.0 [testing]")),
                new Routed("a label of another value is no match", Map.of("group_by", "host"), List.of("0 [default]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routed")
    void routesAnAlert(Routed row) {
        List<String> routes = MATCHING.routesFor(row.labels()).stream()
                .map(route -> route.path() + " " + route.settings().channels())
                .toList();

        assertThat(routes).containsExactlyElementsOf(row.routes());
    }

    // ---------------------------------------------------------------- what a route inherits

    /**
     * <pre>
     * 0  [default] group_by [cluster] 10s/1m/2h, escalate after 15m to [oncall]
     * ├ 0.0  team="a"                                               (sets nothing)
     * ├ 0.1  team="b" continue, [b], group_wait 1m
     * │ └ 0.1.0  env="prod" repeat_interval 30m, group_by [alertname]
     * │   └ 0.1.0.0  host="x"                                        (sets nothing)
     * ├ 0.2  team="c" channels [], group_by [...], group_interval 2m, escalations []
     * └ 0.3  team="d" escalate after 5m to [d-lead], after 1h to [d-head]
     * </pre>
     */
    private static final RoutingTree INHERITING = tree(root().channels("default").groupBy("cluster")
            .groupWait("10s").groupInterval("1m").repeatInterval("2h").escalate("15m", "oncall").routes(
                    route("team=\"a\""),
                    route("team=\"b\"").continues().channels("b").groupWait("1m").routes(
                            route("env=\"prod\"").repeatInterval("30m").groupBy("alertname").routes(
                                    route("host=\"x\""))),
                    route("team=\"c\"").channels().groupBy(RoutingTree.ALL_LABELS).groupInterval("2m").noEscalations(),
                    route("team=\"d\"").escalate("5m", "d-lead").escalate("1h", "d-head")));

    /** Alertmanager's defaults, for a root that sets nothing and a child of it. */
    private static final RoutingTree DEFAULTS = tree(root().routes(route("team=\"a\"")));

    private static final List<Escalation> ONCALL = List.of(new Escalation(minutes(15), List.of("oncall")));

    /** A route of a tree and everything it ends up with. */
    record Inherited(String name, RoutingTree tree, String path, List<String> matchers, boolean continueMatching,
            List<String> groupBy, Settings settings) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Inherited> inherited() {
        return Stream.of(
                new Inherited("a root that sets nothing takes Alertmanager's defaults", DEFAULTS, "0", List.of(), false,
                        List.of("alertname", "service"),
                        new Settings(List.of(), seconds(30), minutes(5), minutes(240), List.of())),
                new Inherited("a child of the defaults inherits them", DEFAULTS, "0.0", List.of("team=\"a\""), false,
                        List.of("alertname", "service"),
                        new Settings(List.of(), seconds(30), minutes(5), minutes(240), List.of())),
                new Inherited("a root keeps what it sets", INHERITING, "0", List.of(), false, List.of("cluster"),
                        new Settings(List.of("default"), seconds(10), minutes(1), minutes(120), ONCALL)),
                new Inherited("a child that sets nothing inherits everything but matchers and continue", INHERITING, "0.0",
                        List.of("team=\"a\""), false, List.of("cluster"),
                        new Settings(List.of("default"), seconds(10), minutes(1), minutes(120), ONCALL)),
                new Inherited("a child overrides channels and group_wait only", INHERITING, "0.1", List.of("team=\"b\""),
                        true, List.of("cluster"),
                        new Settings(List.of("b"), minutes(1), minutes(1), minutes(120), ONCALL)),
                new Inherited("a grandchild inherits from its parent first, continue not inherited", INHERITING, "0.1.0",
                        List.of("env=\"prod\""), false, List.of("alertname"),
                        new Settings(List.of("b"), minutes(1), minutes(1), minutes(30), ONCALL)),
                new Inherited("three levels down: everything from the nearest ancestor that set it", INHERITING, "0.1.0.0",
                        List.of("host=\"x\""), false, List.of("alertname"),
                        new Settings(List.of("b"), minutes(1), minutes(1), minutes(30), ONCALL)),
                new Inherited("empty lists override: no channels, no escalations; group_by ...", INHERITING, "0.2",
                        List.of("team=\"c\""), false, List.of(RoutingTree.ALL_LABELS),
                        new Settings(List.of(), seconds(10), minutes(2), minutes(120), List.of())),
                new Inherited("escalations replace the parent's, in order", INHERITING, "0.3", List.of("team=\"d\""), false,
                        List.of("cluster"), new Settings(List.of("default"), seconds(10), minutes(1), minutes(120),
                                List.of(new Escalation(minutes(5), List.of("d-lead")),
                                        new Escalation(minutes(60), List.of("d-head"))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inherited")
    void inheritsFromItsParent(Inherited row) {
        Route route = find(row.tree().root(), row.path());

        assertThat(route.matchers().stream().map(LabelMatcher::toString).toList()).as("matchers")
                .containsExactlyElementsOf(row.matchers());
        assertThat(route.continueMatching()).as("continue").isEqualTo(row.continueMatching());
        assertThat(route.groupBy()).as("group_by").containsExactlyElementsOf(row.groupBy());
        assertThat(route.settings()).as("settings").isEqualTo(row.settings());
    }

    // ---------------------------------------------------------------- which group an alert joins

    /** A route's group_by (null: the default), an alert's labels, and its group labels in key order. */
    record Grouped(String name, List<String> groupBy, Map<String, String> labels, Map<String, String> groupLabels) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Grouped> grouped() {
        Map<String, String> labels = Map.of("alertname", "DiskFull", "service", "checkout", "host", "db-1",
                "cluster", "eu");
        return Stream.of(
                new Grouped("default group_by: alertname and service", null, labels,
                        ordered("alertname", "DiskFull", "service", "checkout")),
                new Grouped("a missing group_by label groups as empty", null, Map.of("alertname", "DiskFull"),
                        ordered("alertname", "DiskFull", "service", "")),
                new Grouped("an explicit empty value groups as missing", null, Map.of("alertname", "DiskFull", "service", ""),
                        ordered("alertname", "DiskFull", "service", "")),
                new Grouped("one label", List.of("cluster"), labels, ordered("cluster", "eu")),
                new Grouped("labels in name order whatever group_by's order", List.of("service", "cluster", "alertname"),
                        labels, ordered("alertname", "DiskFull", "cluster", "eu", "service", "checkout")),
                new Grouped("empty group_by: one group for the whole route", List.of(), labels, ordered()),
                new Grouped("... groups by every label", List.of(RoutingTree.ALL_LABELS), labels,
                        ordered("alertname", "DiskFull", "cluster", "eu", "host", "db-1", "service", "checkout")),
                new Grouped("... with no labels", List.of(RoutingTree.ALL_LABELS), Map.of(), ordered()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grouped")
    void groupsByItsLabels(Grouped row) {
        Node root = root();
        if (row.groupBy() != null) {
            root.groupBy(row.groupBy().toArray(String[]::new));
        }

        Map<String, String> group = tree(root).root().groupLabels(row.labels());

        assertThat(group).containsExactlyEntriesOf(row.groupLabels());
    }

    /** The group keys two alerts get: together or apart. */
    record Keyed(String name, RoutingTree tree, Map<String, String> first, Map<String, String> second, boolean together) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Keyed> keyed() {
        RoutingTree byDefault = tree(root());
        RoutingTree everyLabel = tree(root().groupBy(RoutingTree.ALL_LABELS));
        RoutingTree teams = tree(root().groupBy("alertname").routes(route("team=\"a\""), route("team=\"b\"")));
        return Stream.of(
                new Keyed("other labels than group_by do not split a group", byDefault,
                        Map.of("alertname", "DiskFull", "service", "db", "host", "1"),
                        Map.of("alertname", "DiskFull", "service", "db", "host", "2"), true),
                new Keyed("a group_by label splits groups", byDefault, Map.of("alertname", "DiskFull", "service", "db"),
                        Map.of("alertname", "DiskFull", "service", "web"), false),
                new Keyed("missing and empty group_by labels group together", byDefault, Map.of("alertname", "DiskFull"),
                        Map.of("alertname", "DiskFull", "service", ""), true),
                new Keyed("... splits on any label", everyLabel, Map.of("alertname", "DiskFull", "host", "1"),
                        Map.of("alertname", "DiskFull", "host", "2"), false),
                new Keyed("... keeps identical label sets together", everyLabel, Map.of("alertname", "DiskFull", "host", "1"),
                        Map.of("host", "1", "alertname", "DiskFull"), true),
                new Keyed("equal group labels on different routes are different groups", teams,
                        Map.of("alertname", "DiskFull", "team", "a"), Map.of("alertname", "DiskFull", "team", "b"), false),
                new Keyed("equal group labels on one route are one group", teams,
                        Map.of("alertname", "DiskFull", "team", "a", "host", "1"),
                        Map.of("alertname", "DiskFull", "team", "a", "host", "2"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyed")
    void keysGroupsByRouteAndGroupLabels(Keyed row) {
        List<String> first = groupKeys(row.tree(), row.first());
        List<String> second = groupKeys(row.tree(), row.second());

        if (row.together()) {
            assertThat(second).isEqualTo(first);
        } else {
            assertThat(second).doesNotContainAnyElementsOf(first);
        }
    }

    // ---------------------------------------------------------------- the labels routing sees

    /** An alert's labels, severity and source, and the labels routes, silences and inhibitions match. */
    record Labelled(String name, Map<String, String> labels, String severity, String source, Map<String, String> routing) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Labelled> labelled() {
        return Stream.of(
                new Labelled("severity and source are added", Map.of("alertname", "X"), "warning", "prometheus",
                        Map.of("alertname", "X", "severity", "warning", "source", "prometheus")),
                new Labelled("the platform's severity wins over a severity label", Map.of("severity", "page"), "critical",
                        "prometheus", Map.of("severity", "critical", "source", "prometheus")),
                new Labelled("a source label wins over the platform's source", Map.of("source", "blackbox"), "info", "manual",
                        Map.of("severity", "info", "source", "blackbox")),
                new Labelled("no labels", Map.of(), "critical", "health", Map.of("severity", "critical", "source", "health")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labelled")
    void routingLabels(Labelled row) {
        assertThat(RoutingTree.routingLabels(row.labels(), row.severity(), row.source()))
                .containsExactlyInAnyOrderEntriesOf(row.routing());
    }

    // ---------------------------------------------------------------- what makes a document invalid

    private static final Set<String> CHANNELS = Set.of("default", "pager", "team");

    /** A document, the channels that exist (null: unchecked), and every problem, in order. */
    record Invalid(String name, RoutingDocument document, Set<String> channels, List<String> problems) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalid() {
        String notADuration = "'soon' is not a duration such as 30s, 5m, 1h30m, 7d or PT2H";
        String needsBothSides = "needs source_matchers and target_matchers (a rule without them would mute everything)";
        return Stream.of(
                new Invalid("no document", null, CHANNELS, List.of("route: the root route is required")),
                new Invalid("no root route", new RoutingDocument(null, List.of()), CHANNELS,
                        List.of("route: the root route is required")),
                new Invalid("matchers on the root", document(root().matchers("severity=\"critical\"")), CHANNELS,
                        List.of("route.matchers: the root route matches every alert and takes no matchers")),
                new Invalid("an invalid matcher on the root", document(root().matchers("nonsense")), CHANNELS,
                        List.of("route.matchers: the root route matches every alert and takes no matchers",
                                "route.matchers[0]: " + notAMatcher("nonsense"))),
                new Invalid("an unknown channel on the root", document(root().channels("nowhere")), CHANNELS,
                        List.of("route.channels: there is no channel named 'nowhere'")),
                new Invalid("every unknown channel", document(root().channels("x", "default", "y")), CHANNELS,
                        List.of("route.channels: there is no channel named 'x'", "route.channels: there is no channel named 'y'")),
                new Invalid("an unknown channel in a child", document(root().channels("default")
                        .routes(route("team=\"a\"").channels("default", "ghost"))), CHANNELS,
                        List.of("route.routes[0].channels: there is no channel named 'ghost'")),
                new Invalid("an unknown channel is reported where it is written, not in the children inheriting it",
                        document(root().channels("nowhere").routes(route("team=\"a\""), route("team=\"b\""))), CHANNELS,
                        List.of("route.channels: there is no channel named 'nowhere'")),
                new Invalid("an invalid regex in a nested route", document(root().routes(route("team=\"a\"").routes(
                        route("env=\"prod\""), route("env=~\"(\"")))), CHANNELS,
                        List.of("route.routes[0].routes[1].matchers[0]: 'env=~\"(\"' has an invalid regular expression: "
                                + "Unclosed group")),
                new Invalid("an unbalanced quote in a child's second matcher", document(root().routes(
                        route("team=\"a\"", "env=\"prod"))), CHANNELS,
                        List.of("route.routes[0].matchers[1]: 'env=\"prod' has an unbalanced quote")),
                new Invalid("a null child route", document(root().routes(route("team=\"a\""), null)), CHANNELS,
                        List.of("route.routes[1]: must be an object")),
                new Invalid("... with other labels", document(root().groupBy("...", "alertname")), CHANNELS,
                        List.of("route.group_by: \"...\" groups by every label and stands alone")),
                new Invalid("an invalid group_by is reported where it is written, not in the children inheriting it",
                        document(root().groupBy("alertname", "...").routes(route("team=\"a\""))), CHANNELS,
                        List.of("route.group_by: \"...\" groups by every label and stands alone")),
                new Invalid("an unreadable group_wait", document(root().groupWait("soon")), CHANNELS,
                        List.of("route.group_wait: " + notADuration)),
                new Invalid("a negative group_wait", document(root().groupWait("PT-1S")), CHANNELS,
                        List.of("route.group_wait: must be between 0s and 30d")),
                new Invalid("a group_interval of zero", document(root().groupInterval("0s")), CHANNELS,
                        List.of("route.group_interval: must be between 1ms and 30d")),
                new Invalid("an unreadable group_interval", document(root().groupInterval("soon")), CHANNELS,
                        List.of("route.group_interval: " + notADuration)),
                new Invalid("a repeat_interval over 30 days", document(root().repeatInterval("31d")), CHANNELS,
                        List.of("route.repeat_interval: must be between 1ms and 30d")),
                new Invalid("a repeat_interval of zero in a child", document(root().routes(
                        route("team=\"a\"").repeatInterval("0s"))), CHANNELS,
                        List.of("route.routes[0].repeat_interval: must be between 1ms and 30d")),
                new Invalid("an escalation without channels", document(root().escalateTo("5m", (List<String>) null)), CHANNELS,
                        List.of("route.escalations[0]: needs after and at least one channel")),
                new Invalid("an escalation with no channel", document(root().escalateTo("5m", List.of())), CHANNELS,
                        List.of("route.escalations[0]: needs after and at least one channel")),
                new Invalid("a null escalation", document(root().escalations(Arrays.asList((RouteSpec.Escalation) null))),
                        CHANNELS, List.of("route.escalations[0]: needs after and at least one channel")),
                new Invalid("an escalation without after", document(root().escalate(null, "default")), CHANNELS,
                        List.of("route.escalations[0].after: is required")),
                new Invalid("an unreadable escalation after is reported once", document(root().escalate("soon", "default")),
                        CHANNELS, List.of("route.escalations[0].after: " + notADuration)),
                new Invalid("an escalation after zero is reported once", document(root().escalate("0s", "default")),
                        CHANNELS, List.of("route.escalations[0].after: must be between 1ms and 30d")),
                new Invalid("escalation steps out of order", document(root().escalate("10m", "default").escalate("5m", "pager")),
                        CHANNELS, List.of("route.escalations[1].after: must be later than the step before")),
                new Invalid("two escalation steps at the same time", document(root().escalate("10m", "default")
                        .escalate("10m", "pager")), CHANNELS,
                        List.of("route.escalations[1].after: must be later than the step before")),
                new Invalid("an unknown channel in a child's escalation", document(root().routes(
                        route("team=\"a\"").escalate("5m", "ghost"))), CHANNELS,
                        List.of("route.routes[0].escalations[0].channels: there is no channel named 'ghost'")),
                new Invalid("every problem at once, in document order", document(root().matchers("a=\"b\"")
                        .channels("nowhere").groupWait("soon").routes(route("severity=~\"(\"").channels("default")
                                .repeatInterval("0s").escalateTo("5m", (List<String>) null))), CHANNELS,
                        List.of("route.matchers: the root route matches every alert and takes no matchers",
                                "route.channels: there is no channel named 'nowhere'",
                                "route.group_wait: " + notADuration,
                                "route.routes[0].matchers[0]: 'severity=~\"(\"' has an invalid regular expression: Unclosed group",
                                "route.routes[0].repeat_interval: must be between 1ms and 30d",
                                "route.routes[0].escalations[0]: needs after and at least one channel")),
                new Invalid("a null inhibition rule", document(root(), (InhibitRule) null), CHANNELS,
                        List.of("inhibit_rules[0]: must be an object")),
                new Invalid("an inhibition rule with only equal", document(root(), new InhibitRule(null, null, List.of("cluster"))),
                        CHANNELS, List.of("inhibit_rules[0]: " + needsBothSides)),
                new Invalid("an inhibition rule without target matchers", document(root(),
                        new InhibitRule(List.of("severity=\"critical\""), null, null)), CHANNELS,
                        List.of("inhibit_rules[0]: " + needsBothSides)),
                new Invalid("an inhibition rule without source matchers", document(root(),
                        new InhibitRule(null, List.of("severity=\"warning\""), null)), CHANNELS,
                        List.of("inhibit_rules[0]: " + needsBothSides)),
                new Invalid("an inhibition rule with empty matcher lists", document(root(),
                        new InhibitRule(List.of(), List.of(), List.of("cluster"))), CHANNELS,
                        List.of("inhibit_rules[0]: " + needsBothSides)),
                new Invalid("the second inhibition rule is named by its index", document(root(),
                        new InhibitRule(List.of("severity=\"critical\""), List.of("severity=\"warning\""), null),
                        new InhibitRule(List.of("severity=\"critical\""), null, null)), CHANNELS,
                        List.of("inhibit_rules[1]: " + needsBothSides)),
                new Invalid("an invalid source matcher among valid ones", document(root(),
                        new InhibitRule(List.of("severity=\"critical\"", "nonsense"), List.of("severity=\"warning\""), null)),
                        CHANNELS, List.of("inhibit_rules[0].source_matchers[1]: " + notAMatcher("nonsense"))),
                new Invalid("the only target matcher invalid: the rule has no target left", document(root(),
                        new InhibitRule(List.of("severity=\"critical\""), List.of("severity=\"warning"), null)), CHANNELS,
                        List.of("inhibit_rules[0].target_matchers[0]: 'severity=\"warning' has an unbalanced quote",
                                "inhibit_rules[0]: " + needsBothSides)),
                new Invalid("route and inhibition problems together, route first", document(root().channels("nowhere"),
                        new InhibitRule(null, null, null)), CHANNELS,
                        List.of("route.channels: there is no channel named 'nowhere'", "inhibit_rules[0]: " + needsBothSides)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesAnInvalidDocument(Invalid row) {
        InvalidRoutingException refused = catchThrowableOfType(InvalidRoutingException.class,
                () -> RoutingTree.compile(row.document(), row.channels()));

        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.problems()).containsExactlyElementsOf(row.problems());
        assertThat(refused).hasMessage(String.join("; ", row.problems()));
    }

    /** A document at the edges of what is allowed. */
    record Valid(String name, RoutingDocument document, Set<String> channels) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Valid> valid() {
        return Stream.of(
                new Valid("the empty document", RoutingDocument.empty(), Set.of()),
                new Valid("no inhibition rules at all", new RoutingDocument(root().spec(), null), CHANNELS),
                new Valid("channel names unchecked when no channel list is given",
                        document(root().channels("anything").escalate("5m", "whatever")), null),
                new Valid("known channels everywhere", document(root().channels("default").escalate("5m", "pager")
                        .routes(route("team=\"a\"").channels("team", "pager"))), CHANNELS),
                new Valid("a group_wait of zero", document(root().groupWait("0s")), CHANNELS),
                new Valid("the shortest intervals", document(root().groupInterval("1ms").repeatInterval("1ms")), CHANNELS),
                new Valid("the longest durations", document(root().groupWait("30d").groupInterval("30d").repeatInterval("720h")
                        .escalate("30d", "default")), CHANNELS),
                new Valid("ISO-8601 durations", document(root().groupWait("PT30S").repeatInterval("P1D")), CHANNELS),
                new Valid("... alone", document(root().groupBy("...")), CHANNELS),
                new Valid("an empty group_by", document(root().groupBy()), CHANNELS),
                new Valid("escalation steps in order", document(root().escalate("5m", "team").escalate("1h", "pager")),
                        CHANNELS),
                new Valid("an inhibition rule without equal", document(root(),
                        new InhibitRule(List.of("severity=\"critical\""), List.of("severity=\"warning\""), null)), CHANNELS),
                new Valid("an inhibition rule with regex matchers", document(root(),
                        new InhibitRule(List.of("alertname=~\"Node(Down|Unreachable)\""), List.of("instance=~\".+\""),
                                List.of("instance"))), CHANNELS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void acceptsAValidDocument(Valid row) {
        assertThatCode(() -> RoutingTree.compile(row.document(), row.channels())).doesNotThrowAnyException();
    }

    // ---------------------------------------------------------------- inhibition

    private static final InhibitRule CRITICAL_MUTES_WARNING_IN_CLUSTER = new InhibitRule(List.of("severity=\"critical\""),
            List.of("severity=\"warning\""), List.of("cluster"));

    /** A rule, an unresolved source alert's labels, a target alert's labels, and whether the target is muted. */
    record Muted(String name, InhibitRule rule, Map<String, String> source, Map<String, String> target, boolean muted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Muted> muted() {
        InhibitRule rule = CRITICAL_MUTES_WARNING_IN_CLUSTER;
        InhibitRule twoLabels = new InhibitRule(List.of("severity=\"critical\""), List.of("severity=\"warning\""),
                List.of("cluster", "service"));
        InhibitRule noEqual = new InhibitRule(List.of("severity=\"critical\""), List.of("severity=\"warning\""), null);
        InhibitRule nodeDown = new InhibitRule(List.of("alertname=~\"Node(Down|Unreachable)\""),
                List.of("alertname!~\"Node(Down|Unreachable)\""), List.of("instance"));
        // Alertmanager's inhibit_test.go: both sides of this rule can match one alert.
        InhibitRule twoSided = new InhibitRule(List.of("s=\"1\""), List.of("t=\"1\""), List.of("e"));
        return Stream.of(
                new Muted("a source mutes a target with equal labels", rule,
                        Map.of("severity", "critical", "cluster", "eu"), Map.of("severity", "warning", "cluster", "eu"), true),
                new Muted("not when the equal label differs", rule,
                        Map.of("severity", "critical", "cluster", "eu"), Map.of("severity", "warning", "cluster", "us"), false),
                new Muted("an equal label missing on both sides is equal", rule,
                        Map.of("severity", "critical"), Map.of("severity", "warning"), true),
                new Muted("an equal label missing on the target only", rule,
                        Map.of("severity", "critical", "cluster", "eu"), Map.of("severity", "warning"), false),
                new Muted("an equal label missing on the source only", rule,
                        Map.of("severity", "critical"), Map.of("severity", "warning", "cluster", "eu"), false),
                new Muted("not when the source does not match the source matchers", rule,
                        Map.of("severity", "warning", "cluster", "eu"), Map.of("severity", "warning", "cluster", "eu"), false),
                new Muted("not when the target does not match the target matchers", rule,
                        Map.of("severity", "critical", "cluster", "eu"), Map.of("severity", "critical", "cluster", "eu"), false),
                new Muted("other labels do not matter", rule,
                        Map.of("severity", "critical", "cluster", "eu", "host", "a"),
                        Map.of("severity", "warning", "cluster", "eu", "host", "b"), true),
                new Muted("several equal labels, all equal", twoLabels,
                        Map.of("severity", "critical", "cluster", "eu", "service", "db"),
                        Map.of("severity", "warning", "cluster", "eu", "service", "db"), true),
                new Muted("several equal labels, one differs", twoLabels,
                        Map.of("severity", "critical", "cluster", "eu", "service", "db"),
                        Map.of("severity", "warning", "cluster", "eu", "service", "web"), false),
                new Muted("no equal labels: any source mutes any target", noEqual,
                        Map.of("severity", "critical", "cluster", "eu"), Map.of("severity", "warning", "cluster", "us"), true),
                new Muted("regex matchers on both sides", nodeDown,
                        Map.of("alertname", "NodeUnreachable", "instance", "db-1"),
                        Map.of("alertname", "DiskFull", "instance", "db-1"), true),
                new Muted("regex matchers on both sides, another instance", nodeDown,
                        Map.of("alertname", "NodeDown", "instance", "db-1"),
                        Map.of("alertname", "DiskFull", "instance", "db-2"), false),
                new Muted("a regex source matcher is anchored", nodeDown,
                        Map.of("alertname", "NodeDownSoon", "instance", "db-1"),
                        Map.of("alertname", "DiskFull", "instance", "db-1"), false),
                new Muted("two-sided rule: a source matching both sides mutes a target matching only the target side",
                        twoSided, Map.of("s", "1", "t", "1", "e", "x"), Map.of("t", "1", "e", "x"), true),
                new Muted("two-sided rule: a source matching only the source side mutes a target matching both sides",
                        twoSided, Map.of("s", "1", "e", "x"), Map.of("s", "1", "t", "1", "e", "x"), true),
                new Muted("two-sided rule: alerts matching both sides do not mute each other (Alertmanager)", twoSided,
                        Map.of("s", "1", "t", "1", "e", "x", "instance", "a"),
                        Map.of("s", "1", "t", "1", "e", "x", "instance", "b"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("muted")
    void inhibits(Muted row) {
        RoutingTree tree = RoutingTree.compile(document(root(), row.rule()), null);

        assertThat(tree.inhibitions()).hasSize(1);
        assertThat(tree.inhibitions().get(0).mutes(row.source(), row.target())).isEqualTo(row.muted());
    }

    // ---------------------------------------------------------------- helpers

    /** A route as written, built up field by field. */
    private static final class Node {
        private List<String> matchers;
        private List<String> channels;
        private Boolean continueMatching;
        private List<String> groupBy;
        private String groupWait;
        private String groupInterval;
        private String repeatInterval;
        private List<RouteSpec.Escalation> escalations;
        private List<Node> routes;

        Node matchers(String... texts) {
            matchers = List.of(texts);
            return this;
        }

        Node channels(String... names) {
            channels = List.of(names);
            return this;
        }

        Node continues() {
            continueMatching = true;
            return this;
        }

        Node groupBy(String... labels) {
            groupBy = List.of(labels);
            return this;
        }

        Node groupWait(String text) {
            groupWait = text;
            return this;
        }

        Node groupInterval(String text) {
            groupInterval = text;
            return this;
        }

        Node repeatInterval(String text) {
            repeatInterval = text;
            return this;
        }

        Node escalate(String after, String... channelNames) {
            return escalateTo(after, List.of(channelNames));
        }

        Node escalateTo(String after, List<String> channelNames) {
            if (escalations == null) {
                escalations = new ArrayList<>();
            }
            escalations.add(new RouteSpec.Escalation(after, channelNames));
            return this;
        }

        Node escalations(List<RouteSpec.Escalation> steps) {
            escalations = steps;
            return this;
        }

        Node noEscalations() {
            escalations = List.of();
            return this;
        }

        Node routes(Node... children) {
            routes = Arrays.asList(children);
            return this;
        }

        RouteSpec spec() {
            return new RouteSpec(matchers, channels, continueMatching, groupBy, groupWait, groupInterval, repeatInterval,
                    escalations, routes == null ? null : routes.stream().map(child -> child == null ? null : child.spec()).toList());
        }
    }

    private static Node root() {
        return new Node();
    }

    private static Node route(String... matchers) {
        return new Node().matchers(matchers);
    }

    private static RoutingDocument document(Node root, InhibitRule... rules) {
        return new RoutingDocument(root.spec(), Arrays.asList(rules));
    }

    private static RoutingTree tree(Node root) {
        return RoutingTree.compile(document(root), null);
    }

    private static Route find(Route root, String path) {
        if (root.path().equals(path)) {
            return root;
        }
        for (Route child : root.children()) {
            if (path.equals(child.path()) || path.startsWith(child.path() + ".")) {
                return find(child, path);
            }
        }
        throw new AssertionError("no route " + path);
    }

    /** The keys of the groups an alert joins: its route's path and its group labels, as GroupRouter keys them. */
    private static List<String> groupKeys(RoutingTree tree, Map<String, String> labels) {
        return tree.routesFor(labels).stream().map(route -> route.path() + " " + route.groupLabels(labels)).toList();
    }

    private static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    private static String notAMatcher(String text) {
        return "'" + text + "' is not a matcher such as severity=\"critical\", service!=\"batch\", "
                + "alertname=~\"Disk.*\" or env!~\"dev|test\"";
    }

    private static long seconds(long n) {
        return Duration.ofSeconds(n).toMillis();
    }

    private static long minutes(long n) {
        return Duration.ofMinutes(n).toMillis();
    }
}
