package io.devops.deployer;

import org.junit.jupiter.api.Test;

import io.devops.common.testing.ArchitectureRules;

/** No package cycle in this service, and no other service's code: see {@link ArchitectureRules}. */
class ArchitectureTest {

    @Test
    void featurePackagesDependOneWayAndOnNoOtherService() {
        ArchitectureRules.checkService("io.devops.deployer");
    }
}
