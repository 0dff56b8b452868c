package io.devops.alerting.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.devops.alerting.routing.LabelMatcher.Operator;

/**
 * Label matchers, table-driven as Alertmanager's {@code pkg/labels/matcher_test.go} and
 * {@code parse_test.go}: what a text parses to, what a matcher matches, what it refuses and why,
 * and how it writes itself back.
 */
class LabelMatcherTest {

    /** A text and the matcher it parses to. */
    record Parsed(String name, String text, String label, Operator operator, String value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Parsed> parsed() {
        return Stream.of(
                new Parsed("= with a quoted value", "severity=\"critical\"", "severity", Operator.EQUAL, "critical"),
                new Parsed("!= with a quoted value", "service!=\"batch\"", "service", Operator.NOT_EQUAL, "batch"),
                new Parsed("=~ with a quoted value", "alertname=~\"Disk.*\"", "alertname", Operator.MATCHES, "Disk.*"),
                new Parsed("!~ with a quoted value", "env!~\"dev|test\"", "env", Operator.NOT_MATCHES, "dev|test"),
                new Parsed("an unquoted value", "severity=critical", "severity", Operator.EQUAL, "critical"),
                new Parsed("an unquoted regex", "statuscode=~5..", "statuscode", Operator.MATCHES, "5.."),
                new Parsed("whitespace around every token", "  team  !=  \"ops\"  ", "team", Operator.NOT_EQUAL, "ops"),
                new Parsed("whitespace inside quotes is kept", "team=\" site reliability \"", "team", Operator.EQUAL,
                        " site reliability "),
                new Parsed("an unquoted value with inner spaces", "team=site reliability", "team", Operator.EQUAL,
                        "site reliability"),
                new Parsed("an empty quoted value", "cluster=\"\"", "cluster", Operator.EQUAL, ""),
                new Parsed("a bare operator means the empty value", "cluster=", "cluster", Operator.EQUAL, ""),
                new Parsed("=~ is read before =, so ~ starts no value", "tricky=~~~", "tricky", Operator.MATCHES, "~~"),
                new Parsed("== means = with a value starting with =", "x==y", "x", Operator.EQUAL, "=y"),
                new Parsed("!= is read before =", "x!=\"!\"", "x", Operator.NOT_EQUAL, "!"),
                new Parsed("an underscore and digits in the name", "_team_2=\"a\"", "_team_2", Operator.EQUAL, "a"),
                new Parsed("operators inside the value are plain text", "expr=\"a!=b=~c\"", "expr", Operator.EQUAL, "a!=b=~c"),
                new Parsed("a comma inside the value is plain text", "foo=\"bar,quux\"", "foo", Operator.EQUAL, "bar,quux"),
                new Parsed("an escaped quote", "quote=\"She said: \\\"hi\\\"\"", "quote", Operator.EQUAL, "She said: \"hi\""),
                new Parsed("an escaped quote alone", "contains_quote!=\"\\\"\"", "contains_quote", Operator.NOT_EQUAL, "\""),
                new Parsed("an escaped backslash", "path=\"C:\\\\temp\"", "path", Operator.EQUAL, "C:\\temp"),
                new Parsed("\\n is a line feed (OpenMetrics escaping, as Alertmanager)", "text=\"new\\nline\"", "text",
                        Operator.EQUAL, "new\nline"),
                new Parsed("a spurious escape keeps its backslash (regex \\.), as Alertmanager", "host=~\"db\\.example\"",
                        "host", Operator.MATCHES, "db\\.example"),
                new Parsed("a spurious escape keeps its backslash (regex \\d), as Alertmanager", "code=~\"5\\d\\d\"",
                        "code", Operator.MATCHES, "5\\d\\d"),
                new Parsed("an unquoted regex keeps its backslashes", "code=~5\\d\\d", "code", Operator.MATCHES, "5\\d\\d"),
                new Parsed("non-ASCII values", "emoji=\"🙂\"", "emoji", Operator.EQUAL, "🙂"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsed")
    void parses(Parsed row) {
        LabelMatcher matcher = LabelMatcher.parse(row.text());

        assertThat(matcher.name()).as("name").isEqualTo(row.label());
        assertThat(matcher.operator()).as("operator").isEqualTo(row.operator());
        assertThat(matcher.value()).as("value").isEqualTo(row.value());
        boolean regex = row.operator() == Operator.MATCHES || row.operator() == Operator.NOT_MATCHES;
        assertThat(matcher.pattern() == null).as("compiled pattern absent").isEqualTo(!regex);
    }

    /** A matcher, labels, and whether it matches them. */
    record Match(String name, String matcher, Map<String, String> labels, boolean matches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Match> matches() {
        return Stream.of(
                new Match("= equal value", "job=\"bar\"", Map.of("job", "bar"), true),
                new Match("= other value", "job=\"bar\"", Map.of("job", "foo-bar"), false),
                new Match("= is case-sensitive", "job=\"bar\"", Map.of("job", "Bar"), false),
                new Match("!= equal value", "job!=\"bar\"", Map.of("job", "bar"), false),
                new Match("!= other value", "job!=\"bar\"", Map.of("job", "foo-bar"), true),
                new Match("=~ whole value", "job=~\"bar\"", Map.of("job", "bar"), true),
                new Match("=~ is anchored at the start", "job=~\"bar\"", Map.of("job", "foo-bar"), false),
                new Match("=~ is anchored at the end", "job=~\"foo\"", Map.of("job", "foo-bar"), false),
                new Match("=~ with a leading wildcard", "job=~\".*bar\"", Map.of("job", "foo-bar"), true),
                new Match("=~ anchors an alternation as a whole", "env=~\"dev|test\"", Map.of("env", "development"), false),
                new Match("=~ alternation, second branch", "env=~\"dev|test\"", Map.of("env", "test"), true),
                new Match("=~ . matches any character", "job=~\"foo.bar\"", Map.of("job", "foo-bar"), true),
                new Match("=~ . does not match a line feed", "job=~\"foo.bar\"", Map.of("job", "foo\nbar"), false),
                new Match("=~ (?s) lets . match a line feed", "job=~\"(?s)foo.bar\"", Map.of("job", "foo\nbar"), true),
                new Match("=~ \\. is a literal dot (quoted)", "job=~\"foo\\.bar\"", Map.of("job", "foo.bar"), true),
                new Match("=~ \\. is not any character (quoted)", "job=~\"foo\\.bar\"", Map.of("job", "foo-bar"), false),
                new Match("=~ \\d is a digit (quoted)", "code=~\"5\\d\\d\"", Map.of("code", "503"), true),
                new Match("=~ \\d is a digit (unquoted)", "code=~5\\d\\d", Map.of("code", "503"), true),
                new Match("!~ whole value", "job!~\"bar\"", Map.of("job", "bar"), false),
                new Match("!~ is anchored", "job!~\"bar\"", Map.of("job", "foo-bar"), true),
                new Match("!~ with a leading wildcard", "job!~\".*bar\"", Map.of("job", "foo-bar"), false),
                new Match("= with special characters", "job=\"~!=\\\"\"", Map.of("job", "~!=\""), true),
                new Match("missing label: =\"\" matches", "cluster=\"\"", Map.of("job", "x"), true),
                new Match("missing label: =\"x\" does not match", "cluster=\"x\"", Map.of(), false),
                new Match("missing label: !=\"x\" matches", "cluster!=\"x\"", Map.of(), true),
                new Match("missing label: !=\"\" does not match", "cluster!=\"\"", Map.of(), false),
                new Match("missing label: =~\".*\" matches", "cluster=~\".*\"", Map.of(), true),
                new Match("missing label: =~\".+\" does not match", "cluster=~\".+\"", Map.of(), false),
                new Match("missing label: !~\".+\" matches", "cluster!~\".+\"", Map.of(), true),
                new Match("empty label value is the same as missing", "cluster=\"\"", Map.of("cluster", ""), true),
                new Match("present label: !=\"\" matches", "cluster!=\"\"", Map.of("cluster", "eu"), true),
                new Match("an escaped quote matches a quote", "msg=\"say \\\"hi\\\"\"", Map.of("msg", "say \"hi\""), true),
                new Match("an escaped backslash matches one backslash", "path=\"a\\\\b\"", Map.of("path", "a\\b"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matches")
    void matches(Match row) {
        assertThat(LabelMatcher.parse(row.matcher()).matches(row.labels())).isEqualTo(row.matches());
    }

    /** Several matchers, labels, and whether all of them match. */
    record All(String name, List<String> matchers, Map<String, String> labels, boolean matches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<All> all() {
        Map<String, String> labels = Map.of("severity", "critical", "service", "checkout", "env", "prod");
        return Stream.of(
                new All("no matchers match everything", List.of(), labels, true),
                new All("no matchers match no labels", List.of(), Map.of(), true),
                new All("every matcher matches", List.of("severity=\"critical\"", "service=~\"check.*\"", "env!=\"dev\""),
                        labels, true),
                new All("one matcher fails", List.of("severity=\"critical\"", "service=~\"check.*\"", "env=\"dev\""),
                        labels, false),
                new All("the first matcher fails", List.of("severity=\"warning\"", "service=\"checkout\""), labels, false),
                new All("two matchers on one label, both hold", List.of("service=~\"c.*\"", "service!=\"cart\""), labels, true),
                new All("two matchers on one label, one fails", List.of("service=~\"c.*\"", "service!=\"checkout\""), labels,
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void allMatch(All row) {
        List<LabelMatcher> matchers = row.matchers().stream().map(LabelMatcher::parse).toList();

        assertThat(LabelMatcher.all(matchers, row.labels())).isEqualTo(row.matches());
    }

    /** A text refused, and what the refusal says. */
    record Refused(String name, String text, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String notAMatcher(String text) {
        return "'" + text + "' is not a matcher such as severity=\"critical\", service!=\"batch\", "
                + "alertname=~\"Disk.*\" or env!~\"dev|test\"";
    }

    static Stream<Refused> refused() {
        return Stream.of(
                new Refused("null", null, notAMatcher(null)),
                new Refused("empty text", "", notAMatcher("")),
                new Refused("blank text", "   ", notAMatcher("   ")),
                new Refused("no operator", "severity", notAMatcher("severity")),
                new Refused("no name", "=\"critical\"", notAMatcher("=\"critical\"")),
                new Refused("a name starting with a digit", "1severity=\"critical\"", notAMatcher("1severity=\"critical\"")),
                new Refused("a dash in the name", "invalid-name=\"valid label\"", notAMatcher("invalid-name=\"valid label\"")),
                new Refused("a quoted name", "\"foo\"=\"bar\"", notAMatcher("\"foo\"=\"bar\"")),
                new Refused("an unknown operator", "severity~=\"critical\"", notAMatcher("severity~=\"critical\"")),
                new Refused("a space in the name", "sev erity=\"critical\"", notAMatcher("sev erity=\"critical\"")),
                new Refused("an opening quote without its closing one", "job=\"value",
                        "'job=\"value' has an unbalanced quote"),
                new Refused("a closing quote without its opening one", "job=value\"",
                        "'job=value\"' has an unbalanced quote"),
                new Refused("a lone quote", "job=\"", "'job=\"' has an unbalanced quote"),
                new Refused("an unquoted value with a quote inside", "job=foo\"bar", "'job=foo\"bar' has an unbalanced quote"),
                new Refused("an unescaped quote inside a quoted value", "job=\"foo\"bar\"",
                        "'job=\"foo\"bar\"' has a quote inside its value; escape it as \\\""),
                new Refused("a doubled closing quote", "foo=\"bar\"\"", "'foo=\"bar\"\"' has a quote inside its value; escape it as \\\""),
                new Refused("an escaped closing quote leaves the value unclosed", "job=\"foo\\\"",
                        "'job=\"foo\\\"' has an unbalanced quote"),
                new Refused("an invalid regex (=~)", "job=~\"invalid[regexp\"",
                        "'job=~\"invalid[regexp\"' has an invalid regular expression: Unclosed character class"),
                new Refused("an invalid regex (!~)", "job!~\"(\"",
                        "'job!~\"(\"' has an invalid regular expression: Unclosed group"),
                new Refused("a dangling repetition", "job=~\"*\"",
                        "'job=~\"*\"' has an invalid regular expression: Dangling meta character '*'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refuses(Refused row) {
        assertThatThrownBy(() -> LabelMatcher.parse(row.text()))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(row.message());
    }

    /** A matcher written back as text (Alertmanager's {@code String()}), and that text parsed again. */
    record Written(String name, String text, String written) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Written> written() {
        return Stream.of(
                new Written("=", "foo=bar", "foo=\"bar\""),
                new Written("!=", "foo!=bar", "foo!=\"bar\""),
                new Written("=~", "foo=~bar", "foo=~\"bar\""),
                new Written("!~", "foo!~bar", "foo!~\"bar\""),
                new Written("whitespace dropped around tokens", "  foo  =  \"bar\"  ", "foo=\"bar\""),
                new Written("an empty value", "foo=", "foo=\"\""),
                new Written("a backslash is escaped", "foo=\"back\\\\slash\"", "foo=\"back\\\\slash\""),
                new Written("a quote is escaped", "foo=\"double\\\"quote\"", "foo=\"double\\\"quote\""),
                new Written("a regex keeps its meaning", "foo=~\"a.*|b+\"", "foo=~\"a.*|b+\""),
                new Written("a line feed is written as \\n (as Alertmanager), so it parses back", "foo=\"new\\nline\"",
                        "foo=\"new\\nline\""),
                new Written("a tab stays as it is", "foo=\"tab\tstop\"", "foo=\"tab\tstop\""),
                new Written("non-ASCII stays as it is", "foo=\"🙂\"", "foo=\"🙂\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("written")
    void writesItselfAndParsesBack(Written row) {
        LabelMatcher matcher = LabelMatcher.parse(row.text());

        assertThat(matcher.toString()).as("written").isEqualTo(row.written());
        LabelMatcher again = LabelMatcher.parse(matcher.toString());
        assertThat(again.name()).as("name after round trip").isEqualTo(matcher.name());
        assertThat(again.operator()).as("operator after round trip").isEqualTo(matcher.operator());
        assertThat(again.value()).as("value after round trip").isEqualTo(matcher.value());
    }
}
