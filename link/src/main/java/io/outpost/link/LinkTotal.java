package io.outpost.link;


/** Messages and bytes counted for one direction and message type. */
public record LinkTotal(long messages, long bytes) {
    public LinkTotal plus(LinkTotal other) {
        return new LinkTotal(messages + other.messages, bytes + other.bytes);
    }
}
