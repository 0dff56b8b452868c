package io.devops.common.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Puts a {@link TcpProxy} between the application's reactive pool and the test database, so a
 * test can take PostgreSQL away and bring it back. Flyway still migrates over JDBC directly.
 * A test gets the proxy in a field annotated {@link InjectPostgresProxy}.
 */
public class PostgresProxyResource implements QuarkusTestResourceLifecycleManager {
    private TcpProxy proxy;

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectPostgresProxy {
    }

    @Override
    public Map<String, String> start() {
        proxy = TcpProxy.start("127.0.0.1", 5432);
        String database = System.getProperty("platform.test.db", "devops_test");
        return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.port() + "/" + database);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(proxy, new TestInjector.AnnotatedAndMatchesType(InjectPostgresProxy.class, TcpProxy.class));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
