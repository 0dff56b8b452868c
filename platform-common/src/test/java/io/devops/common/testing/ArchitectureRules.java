package io.devops.common.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The rules every module's {@code ArchitectureTest} checks on its production classes:
 * <ul>
 * <li>its feature packages (the packages right under its root, and the root itself) depend on one
 * another one way only, as Go packages must: a cycle, however long, fails the test and is named;
 * <li>a service uses no other service's code, and the shared libraries use no service's code: what
 * two services share lives in {@code platform-common} or {@code platform-events}, and what one
 * needs of another arrives as an event or over HTTP.
 * </ul>
 */
public final class ArchitectureRules {
    /** The root package of every service, and of the shared libraries. */
    private static final List<String> SERVICES = List.of("io.devops.registry", "io.devops.monitoring",
            "io.devops.deployer", "io.devops.alerting", "io.devops.collector");
    private static final String LIBRARIES = "io.devops.common";

    private ArchitectureRules() {
    }

    /** Checks the service whose code lives under {@code root} (such as {@code io.devops.alerting}). */
    public static void checkService(String root) {
        JavaClasses classes = importProduction(root);
        slices().assignedFrom(featurePackagesOf(root)).should().beFreeOfCycles().check(classes);
        String[] others = SERVICES.stream().filter(service -> !service.equals(root)).map(service -> service + "..")
                .toArray(String[]::new);
        noClasses().should().dependOnClassesThat().resideInAnyPackage(others)
                .because("services share code only through platform-common and platform-events").check(classes);
    }

    /** Checks platform-common and platform-events, which are on the classpath together. */
    public static void checkLibraries() {
        JavaClasses classes = importProduction(LIBRARIES);
        slices().assignedFrom(featurePackagesOf(LIBRARIES)).should().beFreeOfCycles().check(classes);
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage(SERVICES.stream().map(service -> service + "..").toArray(String[]::new))
                .because("the shared libraries serve every service and know none").check(classes);
    }

    private static JavaClasses importProduction(String root) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")).importPackages(root);
    }

    /**
     * One slice per package right under {@code root} (with its sub-packages), and one for classes in
     * {@code root} itself: a root class that uses a feature package which uses the root is a cycle too.
     */
    static SliceAssignment featurePackagesOf(String root) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                if (name.equals(root)) {
                    return SliceIdentifier.of(root + " (root package)");
                }
                if (!name.startsWith(root + ".")) {
                    return SliceIdentifier.ignore();
                }
                String rest = name.substring(root.length() + 1);
                int dot = rest.indexOf('.');
                return SliceIdentifier.of(root + "." + (dot < 0 ? rest : rest.substring(0, dot)));
            }

            @Override
            public String getDescription() {
                return "the feature packages of " + root;
            }
        };
    }
}
