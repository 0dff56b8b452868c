package io.devops.alerting.routing;

import java.util.List;

/** A routing document that cannot be used, with every problem and where it is. */
public class InvalidRoutingException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidRoutingException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
