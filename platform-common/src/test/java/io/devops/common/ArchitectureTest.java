package io.devops.common;

import org.junit.jupiter.api.Test;

import io.devops.common.testing.ArchitectureRules;

class ArchitectureTest {

    @Test
    void theSharedLibrariesHaveNoPackageCycleAndUseNoService() {
        ArchitectureRules.checkLibraries();
    }
}
