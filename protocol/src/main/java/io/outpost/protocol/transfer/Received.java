package io.outpost.protocol.transfer;

import java.util.Optional;

/** What taking one message off the link produced: a message ready to apply, a report due to the sender, both or neither. */
public record Received(Optional<Delivery> delivery, Optional<TransferReport> report) {
    static final Received NOTHING = new Received(Optional.empty(), Optional.empty());

    static Received delivery(Delivery delivery) {
        return new Received(Optional.of(delivery), Optional.empty());
    }

    static Received report(TransferReport report) {
        return new Received(Optional.empty(), Optional.of(report));
    }
}
