package io.outpost.gateway.outpost;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.outpost.content.Tenants;
import io.outpost.protocol.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Requests sent over the link and not yet answered, by what they ask for. Identical requests while one
 * is in flight coalesce into it; one unanswered for longer than {@code resendAfter} may be sent again.
 * After an answer saying the origin is down, identical requests back off: 30 s, doubling up to 30 min,
 * until an answer succeeds. A refusal that asking again cannot change ({@link ErrorCode#permanent()}) is
 * remembered for {@code resendAfter}: identical requests are answered with it at the outpost, so local
 * clients cannot make the link carry the same refused request again and again.
 */
public final class InFlightRequests {
    private final Clock clock;
    private final Duration resendAfter;
    /** Outcomes of {@link #finish}. */
    public static final String ANSWERED = "answered";
    public static final String ERROR = "error";
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
    /** The {@code namespace} tag of the outpost's own requests: no tenant can be named so (tenant names have no '_'). */
    public static final String OWN = "_outpost";

    private final MeterRegistry meters;
    private final String namespace;
    private final Map<String, Instant> sentAt = new HashMap<>();
    private final Map<String, Duration> backoff = new HashMap<>();
    private final Map<String, Instant> notBefore = new HashMap<>();
    private final Map<String, Refusal> refused = new HashMap<>();

    /** What upstream answered a request with, and when. */
    public record Refusal(ErrorCode code, String message, Instant at) {
    }

    /**
     * @param meters where requests sent ({@code outpost.requests}) and their age when answered ({@code outpost.request.age}) are measured
     * @param tenant whose requests these are: the meters' {@code namespace} tag ({@link #OWN} for the outpost's own)
     */
    public InFlightRequests(Clock clock, Duration resendAfter, MeterRegistry meters, String tenant) {
        this.clock = clock;
        this.resendAfter = resendAfter;
        this.meters = meters;
        this.namespace = Tenants.OUTPOST.equals(tenant) ? OWN : Tenants.requireTenant(tenant);
    }

    /** True when the caller should send a request for {@code key}; false when one is already on its way. */
    public synchronized boolean start(String key) {
        Instant now = clock.instant();
        Instant previous = sentAt.get(key);
        if (previous != null && now.isBefore(previous.plus(resendAfter))) {
            return false;
        }
        if (now.isBefore(notBefore.getOrDefault(key, Instant.MIN))) {
            return false;
        }
        sentAt.put(key, now);
        Counter.builder("outpost.requests").description("Requests the outpost sent over the link, by kind")
                .tag("kind", kindOf(key)).tag("namespace", namespace).register(meters).increment();
        return true;
    }

    /** The answer said the origin is down: identical requests wait, longer each time. */
    public synchronized void originDown(String key) {
        Duration wait = backoff.containsKey(key) ? min(backoff.get(key).multipliedBy(2), MAX_BACKOFF) : FIRST_BACKOFF;
        backoff.put(key, wait);
        notBefore.put(key, clock.instant().plus(wait));
    }

    /**
     * Marks {@code key} answered ({@code outcome} "answered", or "error" when upstream could not serve it);
     * returns how long the answer took when a request was in flight.
     */
    public synchronized Optional<Duration> finish(String key, String outcome) {
        Instant previous = sentAt.remove(key);
        if (previous == null) {
            return Optional.empty();
        }
        Duration age = Duration.between(previous, clock.instant());
        Timer.builder("outpost.request.age").description("How old requests were when their answer arrived, by kind and outcome")
                .tag("kind", kindOf(key)).tag("outcome", outcome).tag("namespace", namespace).register(meters).record(age);
        return Optional.of(age);
    }

    private static String kindOf(String key) {
        return key.substring(0, key.indexOf(':'));
    }

    /** Upstream refused {@code key} for a reason asking again cannot change: it is remembered for {@code resendAfter}. */
    public synchronized void refused(String key, ErrorCode code, String message) {
        if (code.permanent()) {
            refused.put(key, new Refusal(code, message, clock.instant()));
        }
    }

    /** The refusal of {@code key} within the last {@code resendAfter}, to answer with rather than ask the link again. */
    public synchronized Optional<Refusal> refusal(String key) {
        Refusal refusal = refused.get(key);
        if (refusal != null && !clock.instant().isBefore(refusal.at().plus(resendAfter))) {
            refused.remove(key);
            return Optional.empty();
        }
        return Optional.ofNullable(refusal);
    }

    /** An answer that succeeded ends any backoff, and any remembered refusal. */
    public synchronized void succeeded(String key) {
        backoff.remove(key);
        notBefore.remove(key);
        refused.remove(key);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Every key a request about {@code subject} can be in flight under: a subject names a repo, an image or a provider. */
    public static List<String> keysOf(String subject) {
        return List.of(gitKey(subject), imageKey(subject), providerKey(subject), moduleKey(subject));
    }

    public static String gitKey(String repo) {
        return "git:" + repo;
    }

    public static String imageKey(String subject) {
        return "image:" + subject;
    }

    public static String providerKey(String subject) {
        return "provider:" + subject;
    }

    public static String moduleKey(String subject) {
        return "module:" + subject;
    }
}
