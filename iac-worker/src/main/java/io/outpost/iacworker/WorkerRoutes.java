package io.outpost.iacworker;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.DeadLetters;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Messages;
import io.outpost.protocol.Ready;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * The worker's two triggers: a run every {@code runEvery}, and the gateway's ready events, which wake
 * the run waiting for them or, when none waits, start a new one if a run gave up as pending on that repo
 * or image, or if the stack's repo was updated unasked (push mode).
 */
public final class WorkerRoutes extends RouteBuilder {
    private final String tenant;
    private final RunScheduler scheduler;
    private final StackRunner runner;
    private final GatewayClient sync;
    private final EnvelopeCodec codec;
    private final Stack stack;
    private final Duration firstRunAfter;
    private final Duration runEvery;

    /** @param tenant whose ready events the worker hears */
    public WorkerRoutes(String tenant, RunScheduler scheduler, StackRunner runner, GatewayClient sync, EnvelopeCodec codec, Duration firstRunAfter,
                        Duration runEvery) {
        this.tenant = tenant;
        this.scheduler = scheduler;
        this.runner = runner;
        this.sync = sync;
        this.codec = codec;
        this.stack = runner.stack();
        this.firstRunAfter = firstRunAfter;
        this.runEvery = runEvery;
    }

    @Override
    public void configure() {
        fromF("timer:worker-%s?period=%d&delay=%d", stack.name(), runEvery.toMillis(), Math.max(1, firstRunAfter.toMillis()))
                .routeId("worker-schedule-" + stack.name())
                .process(exchange -> scheduler.request(StackRunner.SCHEDULED));

        from("outpost:topic:" + Addresses.ready(tenant))
                .routeId("worker-ready-" + stack.name())
                .routeConfigurationId(DeadLetters.configurationId("outpost"))
                .process(exchange -> {
                    Ready ready = Messages.read(codec.decode(exchange.getIn().getMandatoryBody(byte[].class)), Ready.class);
                    boolean someoneWaited = sync.complete(ready);
                    boolean stackUpdated = ready.status() == Ready.Status.UPDATED && ready.subject().equals(stack.repo());
                    if (!someoneWaited && ready.status() != Ready.Status.FAILED && (runner.waitsFor(ready.subject()) || stackUpdated)) {
                        scheduler.request(StackRunner.READY);
                    }
                });
    }
}
