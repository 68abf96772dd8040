package io.outpost.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How long a request stays worth answering: an answer later than this is an 'expired' error, not a late update. */
final class RequestTtlOption {
    @Option(names = "--request-ttl", defaultValue = "1h", converter = Converters.DurationConverter.class,
            description = "How long a request stays worth answering; upstream answers an older one with an 'expired' error (default: ${DEFAULT-VALUE}).")
    Duration requestTtl;
}
