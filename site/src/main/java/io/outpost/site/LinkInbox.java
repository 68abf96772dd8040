package io.outpost.site;

import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.transfer.Delivery;
import io.outpost.transfer.TransferReceiver;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the link delivers to a site: decoded, reassembled from chunks when it came as a
 * transfer, verified, then handed to the handler for its type. A type the site does not handle is a
 * malformed message.
 */
public final class LinkInbox {
    private final String site;
    private final EnvelopeCodec codec;
    private final TransferReceiver transfers;
    private final Map<String, Consumer<Delivery>> handlers;

    public LinkInbox(String site, EnvelopeCodec codec, TransferReceiver transfers, Map<String, Consumer<Delivery>> handlers) {
        this.site = site;
        this.codec = codec;
        this.transfers = transfers;
        this.handlers = Map.copyOf(handlers);
    }

    public void accept(byte[] frame) {
        transfers.accept(codec.decode(frame)).ifPresent(this::dispatch);
    }

    private void dispatch(Delivery delivery) {
        try {
            Consumer<Delivery> handler = handlers.get(delivery.message().type());
            if (handler == null) {
                throw new MalformedMessageException("the " + site + " site does not handle " + delivery.message().type() + " messages");
            }
            handler.accept(delivery);
        } finally {
            delivery.release();
        }
    }
}
