package io.devops.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@code tools/topics}, from which {@code ./platform} creates the local broker's topics, and the
 * cluster's KafkaTopic resources must list exactly the topics of {@link Topic} with the same
 * partitions and cleanup policy, plus one single-partition dead-letter topic per topic.
 */
class TopicListTest {

    record TopicLine(String name, int partitions, String cleanupPolicy) {
    }

    @Test
    void toolsTopicsMatchesTheTopicEnum() throws IOException {
        assertThat(parse(repositoryFile("tools/topics"))).containsExactlyInAnyOrderElementsOf(expected());
    }

    /** The cluster's KafkaTopic resources (Strimzi) list the same topics. */
    @Test
    void deployedKafkaTopicsMatchTheTopicEnum() throws IOException {
        List<TopicLine> deployed = new ArrayList<>();
        String name = null;
        Integer partitions = null;
        for (String raw : Files.readAllLines(repositoryFile("deploy/base/kafka/topics.yaml"))) {
            String line = raw.strip();
            if (line.startsWith("topicName:")) {
                name = value(line);
            } else if (line.startsWith("partitions:")) {
                partitions = Integer.parseInt(value(line));
            } else if (line.startsWith("cleanup.policy:")) {
                deployed.add(new TopicLine(name, partitions, value(line)));
            }
        }
        assertThat(deployed).containsExactlyInAnyOrderElementsOf(expected());
    }

    private static String value(String line) {
        return line.substring(line.indexOf(':') + 1).strip();
    }

    private static List<TopicLine> expected() {
        List<TopicLine> expected = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            expected.add(new TopicLine(topic.topicName(), topic.partitions(), topic.compacted() ? "compact" : "delete"));
        }
        for (Topic topic : Topic.values()) {
            expected.add(new TopicLine(topic.deadLetterTopic(), 1, "delete"));
        }
        return expected;
    }

    @Test
    void everyDeadLetterTopicIsNamedAfterItsTopic() {
        for (Topic topic : Topic.values()) {
            assertThat(topic.deadLetterTopic()).isEqualTo(topic.topicName() + ".dlq");
        }
    }

    static List<TopicLine> parse(Path file) throws IOException {
        List<TopicLine> lines = new ArrayList<>();
        int number = 0;
        for (String raw : Files.readAllLines(file)) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            assertThat(fields)
                    .as("%s line %d: expected 'name partitions cleanup.policy' but was '%s'", file, number, raw)
                    .hasSize(3);
            assertThat(fields[2]).as("%s line %d: cleanup.policy", file, number).isIn("compact", "delete");
            lines.add(new TopicLine(fields[0], Integer.parseInt(fields[1]), fields[2]));
        }
        return lines;
    }

    /** A file of the repository, found by walking up from the working directory. */
    static Path repositoryFile(String relative) {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + relative + " above " + System.getProperty("user.dir"));
    }
}
