package io.outpost.iacworker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Service;

/**
 * Runs a stack's updates one at a time on a thread of their own, so a run waiting for the link never
 * blocks the route that delivers its ready event. A run asked for while one is queued joins it.
 */
public final class RunScheduler implements Service {
    private final StackRunner runner;
    private final AtomicBoolean queued = new AtomicBoolean();
    private ExecutorService executor;

    public RunScheduler(StackRunner runner) {
        this.runner = runner;
    }

    public void request(String trigger) {
        if (executor != null && queued.compareAndSet(false, true)) {
            executor.execute(() -> {
                queued.set(false);
                runner.run(trigger);
            });
        }
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadExecutor(task -> new Thread(task, "outpost-run-" + runner.stack().name()));
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
