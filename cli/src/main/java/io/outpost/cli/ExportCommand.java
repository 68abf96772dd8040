package io.outpost.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.events.Sizes;
import io.outpost.gateway.media.Inventory;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.link.TransferCoding;
import io.outpost.link.TransferTiming;
import io.outpost.protocol.MessageTypes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** At the upstream: the update an outpost lacks, as one signed archive for removable media. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write what an outpost's inventory lacks into one signed archive (the air-gapped 'bastion' mode):",
                "the same package a sync over the link would carry, from the same allowlists as the upstream gateway."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    UpstreamOptions upstream;

    @Option(names = "--for", required = true, description = "The outpost's inventory, from 'outpost inventory' there.")
    Path inventory;

    @Option(names = "--out", required = true, description = "The archive to write.")
    Path out;

    @Override
    public Integer call() {
        Path data = common.data.toAbsolutePath().normalize();
        UpstreamGateway gateway = upstream.gateway(data, TransferTiming.forRoundTrip(Duration.ofSeconds(10)), TransferCoding.MEASURED, Duration.ofHours(1), new SimpleMeterRegistry(),
                Clock.systemDefaultZone());
        UpstreamGateway.Exported exported = gateway.export(Inventory.read(inventory), out);
        Map<String, Long> counts = exported.messages().stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        System.out.println("archive for outpost '" + upstream.outpost.name + "' in " + exported.archive() + ": " + Sizes.bytes(exported.bytes()) + ", " + counts
                + ", signed by '" + UpstreamGateway.SITE + "'");
        if (!exported.messages().contains(MessageTypes.GIT_BUNDLE)) {
            System.out.println("  the outpost is up to date: importing it changes nothing");
        }
        return 0;
    }
}
