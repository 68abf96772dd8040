package io.outpost.iacworker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.outpost.content.ImageRef;
import io.outpost.events.OperatorEvents;
import io.outpost.events.Sizes;
import io.outpost.content.module.ModuleCalls;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.Ready;
import io.outpost.registry.RegistryClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One update run of a stack: sync the config over the link (waiting for the gateway's ready event, up
 * to {@code syncWait}), check out the local head, make sure the provider mirror holds every provider the
 * config requires, then terraform init, plan, make sure the local registry holds every image the plan
 * names and, if the plan changes anything, apply. Every run is recorded as converged, pending (waiting on the link) or failed.
 */
public final class StackRunner {
    /** Why a run started. A run started by a ready event uses what is local and asks nothing. */
    public static final String SCHEDULED = "scheduled";
    public static final String READY = "ready";
    /** Error codes after which asking again would not help. */

    private final Stack stack;
    private final GitSyncClient sync;
    private final ImagePullClient images;
    private final ProviderGetClient providers;
    private final ModuleGetClient modules;
    private final RegistryClient localRegistry;
    private final ConfigCheckout checkout;
    private final TerraformCli terraform;
    private final RunHistory history;
    private final OperatorEvents events;
    private final Clock clock;
    private final Duration syncWait;
    private final AtomicLong lastNumber;
    private final MeterRegistry meters;
    /** How long the last applied commit took from the origin to applied here. */
    private final AtomicLong lastLagMillis = new AtomicLong();
    /** What pending runs since the last converged or failed one wait for: the arrival of any starts a run. */
    private volatile Set<String> pendingOn = Set.of();

    /** @param localRegistry the outpost's registry, or null when configs need no images */
    public StackRunner(Stack stack, GitSyncClient sync, ImagePullClient images, ProviderGetClient providers, ModuleGetClient modules, RegistryClient localRegistry,
                       ConfigCheckout checkout,
                       TerraformCli terraform, RunHistory history, OperatorEvents events, Clock clock, Duration syncWait,
                       MeterRegistry meters) {
        this.stack = stack;
        this.sync = sync;
        this.images = images;
        this.providers = providers;
        this.modules = modules;
        this.localRegistry = localRegistry;
        this.checkout = checkout;
        this.terraform = terraform;
        this.history = history;
        this.events = events;
        this.clock = clock;
        this.syncWait = syncWait;
        this.meters = meters;
        List<RunRecord> last = history.last(1);
        this.lastNumber = new AtomicLong(last.isEmpty() ? 0 : last.get(0).number());
        TimeGauge.builder("outpost.worker.convergence.lag", lastLagMillis, TimeUnit.MILLISECONDS, AtomicLong::doubleValue)
                .description("From the origin's commit to applied at the outpost, for the last commit applied").tag("stack", stack.name())
                .register(meters);
    }

    public Stack stack() {
        return stack;
    }

    public RunHistory history() {
        return history;
    }

    /** True when a pending run waits for {@code subject} (a repo or an image), so its arrival should start a run. */
    public boolean waitsFor(String subject) {
        return pendingOn.contains(subject);
    }

    public synchronized RunRecord run(String trigger) {
        Run run = new Run(lastNumber.incrementAndGet(), trigger, clock.instant());
        try {
            if (SCHEDULED.equals(trigger)) {
                Optional<String> waiting = awaitSync();
                if (waiting.isPresent()) {
                    run.waitingOn = Set.of(stack.repo());
                    return run.finish(RunOutcome.PENDING, waiting.get());
                }
            }
            Optional<String> head = checkout.localHead();
            if (head.isEmpty()) {
                run.waitingOn = Set.of(stack.repo());
                return run.finish(RunOutcome.PENDING, "no commit of " + stack.repo() + " at the outpost yet");
            }
            run.commit = head.get();
            checkout.checkout(run.commit);
            Path planFile = checkout.dir().resolve("outpost.tfplan");
            // terraform reads the providers of modules too, so the modules come first
            run.waitingOn = awaitModules();
            if (!run.waitingOn.isEmpty()) {
                return run.finish(RunOutcome.PENDING, "waiting for modules from the link: " + String.join(", ", run.waitingOn));
            }
            terraform.installModules(checkout.dir());
            run.waitingOn = awaitProviders();
            if (!run.waitingOn.isEmpty()) {
                return run.finish(RunOutcome.PENDING, "waiting for providers from the link: " + String.join(", ", run.waitingOn));
            }
            terraform.init(checkout.dir());
            PlanSummary plan = terraform.plan(checkout.dir(), planFile);
            run.plan = plan.toString();
            if (localRegistry != null) {
                run.waitingOn = awaitImages(ImageRequirements.of(terraform.show(checkout.dir(), planFile), checkout.dir(),
                        localRegistry.address()));
                if (!run.waitingOn.isEmpty()) {
                    return run.finish(RunOutcome.PENDING, "waiting for images from the link: " + String.join(", ", run.waitingOn));
                }
            }
            if (plan.hasChanges()) {
                terraform.apply(checkout.dir(), planFile);
                run.applied = true;
            }
            run.outputs = terraform.outputs(checkout.dir());
            run.lag = Duration.between(checkout.commitTime(run.commit), clock.instant());
            if (run.applied) {
                lastLagMillis.set(run.lag.toMillis());
            }
            return run.finish(RunOutcome.CONVERGED, null);
        } catch (RuntimeException e) {
            if (Thread.interrupted()) {
                // the worker is stopping: the run did not fail, it was cut short. Recorded with the flag clear (file
                // channels refuse an interrupted thread), which is then set again for whoever stops us.
                try {
                    return run.finish(RunOutcome.PENDING, "stopped before it finished (" + e.getMessage() + "); the next run starts over");
                } finally {
                    Thread.currentThread().interrupt();
                }
            }
            return run.finish(RunOutcome.FAILED, e.getMessage());
        }
    }

    /** Empty once the gateway says the repo is as fresh as the link allows; else why the run waits. */
    private Optional<String> awaitSync() {
        CompletableFuture<Ready> answer = sync.sync(stack.repo(), stack.ref());
        try {
            Ready ready = answer.get(syncWait.toMillis(), TimeUnit.MILLISECONDS);
            if (ready.status() == Ready.Status.FAILED) {
                throw new IllegalStateException("sync of " + stack.repo() + " failed: " + ready.message());
            }
            return Optional.empty();
        } catch (TimeoutException | CancellationException e) {
            answer.cancel(false);
            return Optional.of("waiting on the link for " + stack.repo() + " (no answer within " + Sizes.duration(syncWait) + ")");
        } catch (ExecutionException e) {
            throw new IllegalStateException("sync of " + stack.repo() + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(false);
            return Optional.of("interrupted while waiting for " + stack.repo());
        }
    }

    /**
     * Asks the gateway for every provider the config requires (it answers at once for what its mirror
     * holds), so that init finds them all, and waits for them. Returns the providers still missing.
     */
    private Set<String> awaitProviders() {
        Map<String, CompletableFuture<Ready>> asked = new LinkedHashMap<>();
        ProviderRequirements.of(terraform.providers(checkout.dir()), checkout.dir())
                .forEach(pull -> asked.put(pull.subject(), providers.pull(pull)));
        return await("provider", asked);
    }

    /**
     * Asks the gateway for every module the config's {@code .tf} files call (it answers at once for what its
     * mirror holds; the modules those call come with them), so that {@code terraform get} finds them; returns
     * those still missing.
     */
    private Set<String> awaitModules() {
        Map<String, CompletableFuture<Ready>> asked = new LinkedHashMap<>();
        for (ModuleCalls.Call call : ConfigModules.calls(checkout.dir())) {
            ModuleGet get = new ModuleGet(call.source().toString(), call.versions());
            asked.putIfAbsent(get.subject(), modules.pull(get));
        }
        return await("module", asked);
    }

    /** Asks for every required image the local registry lacks and waits for them; returns the images still missing. */
    private Set<String> awaitImages(Map<ImageRef, String> required) {
        Map<String, CompletableFuture<Ready>> asked = new LinkedHashMap<>();
        required.forEach((ref, platforms) -> {
            if (!localRegistry.hasManifest(ref.repository(), ref.reference())) {
                asked.put(ImagePull.subject(ref.repository(), ref.reference()), images.pull(ref.repository(), ref.reference(), platforms));
            }
        });
        return await("image", asked);
    }

    /**
     * Waits for the gateway's answers, up to {@code syncWait} in all; returns the subjects not had yet. What
     * upstream refuses, lacks or finds corrupt at the origin fails the run: waiting would not bring it.
     */
    private Set<String> await(String what, Map<String, CompletableFuture<Ready>> asked) {
        Instant deadline = clock.instant().plus(syncWait);
        Set<String> notYet = new LinkedHashSet<>();
        for (Map.Entry<String, CompletableFuture<Ready>> pull : asked.entrySet()) {
            String subject = pull.getKey();
            try {
                long left = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
                Ready ready = pull.getValue().get(left, TimeUnit.MILLISECONDS);
                if (ready.status() == Ready.Status.FAILED) {
                    if (ready.error().permanent()) {
                        throw new IllegalStateException(what + " " + subject + " cannot be had: " + ready.message());
                    }
                    notYet.add(subject);
                }
            } catch (TimeoutException | CancellationException e) {
                pull.getValue().cancel(false);
                notYet.add(subject);
            } catch (ExecutionException e) {
                throw new IllegalStateException(what + " " + subject + ": " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                notYet.add(subject);
            }
        }
        return notYet;
    }

    /** The run in progress; {@link #finish} records it and tells the operator. */
    private final class Run {
        private final long number;
        private final String trigger;
        private final Instant startedAt;
        private String commit;
        private String plan;
        private boolean applied;
        private Map<String, String> outputs = Map.of();
        private Duration lag;
        private Set<String> waitingOn = Set.of();

        Run(long number, String trigger, Instant startedAt) {
            this.number = number;
            this.trigger = trigger;
            this.startedAt = startedAt;
        }

        RunRecord finish(RunOutcome outcome, String error) {
            RunRecord record = new RunRecord(number, stack.name(), trigger, startedAt, clock.instant(), outcome, commit,
                    plan, applied, outputs, lag == null ? null : lag.toMillis(), error);
            history.append(record);
            Counter.builder("outpost.worker.runs").description("Update runs by outcome").tag("stack", stack.name())
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(meters).increment();
            if (outcome == RunOutcome.PENDING) {
                Set<String> waiting = new LinkedHashSet<>(pendingOn);
                waiting.addAll(waitingOn);
                pendingOn = Set.copyOf(waiting);
            } else {
                pendingOn = Set.of();
            }
            events.emit(new RunFinished(record));
            return record;
        }

    }
}
