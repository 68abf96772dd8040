package io.outpost.gateway.outpost;

import io.outpost.content.Tenants;
import io.outpost.gateway.outpost.module.OutpostModulePull;
import io.outpost.gateway.outpost.provider.OutpostProviderPull;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.LocalUnavailableException;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.transfer.Delivery;
import io.outpost.registry.RegistryException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the outpost gateway does with each type of answer that comes off the link (or out of an archive):
 * git answers, errors and images go to the namespace they are for, provider packages to the one mirror.
 */
final class OutpostAnswers {
    private final Map<String, OutpostNamespace> namespaces;
    private final OutpostProviderPull providers;
    private final OutpostModulePull modules;
    private final boolean images;

    /** @param images whether the outpost has a local registry to apply images to */
    OutpostAnswers(Map<String, OutpostNamespace> namespaces, OutpostProviderPull providers, OutpostModulePull modules, boolean images) {
        this.namespaces = namespaces;
        this.providers = providers;
        this.modules = modules;
        this.images = images;
    }

    /** The handler of each message type this gateway takes from the link. */
    Map<String, Consumer<Delivery>> byType() {
        Map<String, Consumer<Delivery>> handlers = new LinkedHashMap<>();
        handlers.put(MessageTypes.GIT_BUNDLE, delivery -> namespaceOf(delivery).gitAnswer(delivery));
        handlers.put(MessageTypes.GIT_UP_TO_DATE, delivery -> namespaceOf(delivery).gitAnswer(delivery));
        handlers.put(MessageTypes.ERROR, delivery -> namespaceOf(delivery).errors().answer(delivery));
        handlers.put(MessageTypes.PROVIDER_PACKAGE, providers::pkg);
        handlers.put(MessageTypes.MODULE_PACKAGE, modules::pkg);
        if (images) {
            handlers.put(MessageTypes.IMAGE_BLOB, delivery -> namespaceOf(delivery).images().orElseThrow().blob(delivery));
            handlers.put(MessageTypes.IMAGE_CONTENT, delivery -> namespaceOf(delivery).images().orElseThrow().content(delivery));
        }
        handlers.replaceAll((type, handler) -> keptWhileTheRegistryIsDown(handler));
        return handlers;
    }

    /**
     * A local registry that does not answer (or answers 5xx) is a local cause that clears by itself: what
     * arrived is kept and applied when it answers again, not dead-lettered ({@link LocalUnavailableException}).
     */
    private static Consumer<Delivery> keptWhileTheRegistryIsDown(Consumer<Delivery> handler) {
        return delivery -> {
            try {
                handler.accept(delivery);
            } catch (RegistryException e) {
                if (e.status() == 0 || e.status() >= 500) {
                    throw new LocalUnavailableException("the local registry is not answering (" + e.getMessage() + ")", e);
                }
                throw e;
            }
        };
    }

    /** The namespace an answer is for: a tenant this gateway does not have is refused, nothing is written. */
    private OutpostNamespace namespaceOf(Delivery delivery) {
        Envelope answer = delivery.message();
        OutpostNamespace namespace = namespaces.get(answer.tenant());
        if (namespace == null) {
            throw new MalformedMessageException(answer.type() + " " + answer.id() + " is for " + Tenants.describe(answer.tenant())
                    + ", which this outpost gateway does not have");
        }
        return namespace;
    }
}
