package io.outpost.journeys;

import io.outpost.link.LinkTotal;
import io.outpost.protocol.MessageTypes;
import java.util.List;
import java.util.Map;

/** What the link carried of image content between two readings of its totals to the outpost: blobs, whole or as transfers. */
final class ImageBytesCarried {
    private static final List<String> TYPES = List.of(MessageTypes.CHUNK, MessageTypes.IMAGE_BLOB, MessageTypes.TRANSFER_START);

    private ImageBytesCarried() {
    }

    static long between(Map<String, LinkTotal> before, Map<String, LinkTotal> after) {
        return TYPES.stream().mapToLong(type -> bytes(after, type) - bytes(before, type)).sum();
    }

    static long bytes(Map<String, LinkTotal> totals, String type) {
        return totals.getOrDefault(type, new LinkTotal(0, 0)).bytes();
    }
}
