package io.outpost.gateway.outpost;

import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.MessageTypes;
import io.outpost.transfer.Delivery;
import io.outpost.transfer.TransferReceiver;

/** Everything the link delivers to the outpost site: decoded, reassembled, dispatched by type. */
public final class OutpostInbox {
    private final EnvelopeCodec codec;
    private final TransferReceiver transfers;
    private final OutpostGitSync gitSync;

    public OutpostInbox(EnvelopeCodec codec, TransferReceiver transfers, OutpostGitSync gitSync) {
        this.codec = codec;
        this.transfers = transfers;
        this.gitSync = gitSync;
    }

    public void accept(byte[] frame) {
        transfers.accept(codec.decode(frame)).ifPresent(this::dispatch);
    }

    private void dispatch(Delivery delivery) {
        try {
            switch (delivery.message().type()) {
                case MessageTypes.GIT_BUNDLE, MessageTypes.GIT_UP_TO_DATE, MessageTypes.ERROR -> gitSync.answer(delivery);
                default -> throw new MalformedMessageException("outpost does not handle " + delivery.message().type() + " messages");
            }
        } finally {
            delivery.release();
        }
    }
}
