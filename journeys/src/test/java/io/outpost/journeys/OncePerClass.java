package io.outpost.journeys;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A per-test fixture set up once around a whole class, for journeys whose tests share one loop (each works on its own
 * repositories): brokers, registries and gateways start once rather than once per test. Its leak checks run at the end.
 */
final class OncePerClass implements BeforeAllCallback, AfterAllCallback {
    private final BeforeEachCallback setUp;
    private final AfterEachCallback tearDown;

    <T extends BeforeEachCallback & AfterEachCallback> OncePerClass(T fixture) {
        this.setUp = fixture;
        this.tearDown = fixture;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        setUp.beforeEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        tearDown.afterEach(context);
    }
}
