package io.outpost.gateway.upstream;

import io.outpost.gateway.upstream.git.UpstreamGitSync;
import io.outpost.gateway.upstream.image.UpstreamImagePull;
import io.outpost.gateway.upstream.module.UpstreamModulePull;
import io.outpost.gateway.upstream.provider.UpstreamProviderPull;
import io.outpost.gateway.upstream.push.UpstreamPush;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.transfer.Delivery;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the upstream gateway does with each type of request that comes off the link: syncs, image pulls and
 * provider gets are answered unless they outlived their TTL; subscriptions are recorded for pushing.
 */
final class UpstreamRequests {
    private final UpstreamGitSync git;
    private final UpstreamImagePull images;
    private final UpstreamProviderPull providers;
    private final UpstreamModulePull modules;
    private final UpstreamPush push;
    private final Refusals refusals;
    private final Clock clock;

    UpstreamRequests(UpstreamGitSync git, UpstreamImagePull images, UpstreamProviderPull providers, UpstreamModulePull modules, UpstreamPush push,
                     Refusals refusals, Clock clock) {
        this.git = git;
        this.images = images;
        this.providers = providers;
        this.modules = modules;
        this.push = push;
        this.refusals = refusals;
        this.clock = clock;
    }

    /** The handler of each message type this gateway takes from the link. */
    Map<String, Consumer<Delivery>> byType() {
        return Map.of(
                MessageTypes.GIT_SYNC, unlessExpired(delivery -> git.answer(delivery.message(), delivery.body())),
                MessageTypes.IMAGE_PULL, unlessExpired(delivery -> images.answer(delivery.message(), delivery.body())),
                MessageTypes.PROVIDER_GET, unlessExpired(delivery -> providers.answer(delivery.message())),
                MessageTypes.MODULE_GET, unlessExpired(delivery -> modules.answer(delivery.message())),
                MessageTypes.SUBSCRIBE, delivery -> push.subscribe(delivery.message(), delivery.body()));
    }

    /** A request older than its TTL gets an error, not a late answer. */
    private Consumer<Delivery> unlessExpired(Consumer<Delivery> answer) {
        return delivery -> {
            Envelope request = delivery.message();
            if (request.expiredAt(clock.instant())) {
                refusals.refuse(request, ErrorCode.EXPIRED, request.type() + " " + request.id() + " expired at " + request.expiresAt()
                        + " before it could be answered", null);
            } else {
                answer.accept(delivery);
            }
        };
    }
}
