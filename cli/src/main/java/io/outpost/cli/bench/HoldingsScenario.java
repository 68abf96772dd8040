package io.outpost.cli.bench;

import io.outpost.cli.OneMachine;
import io.outpost.content.Digests;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.data.NamespaceData;
import io.outpost.gateway.outpost.OutpostHoldings;
import io.outpost.gateway.outpost.image.BlobInventory;
import io.outpost.gateway.upstream.HoldingsLedger;
import io.outpost.link.LinkDirection;
import io.outpost.link.OutageSchedule;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.Holdings;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.txrxsim.link.LinkFaults;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.origin.DemoOrigin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An outpost in service holding {@code blobs} image blobs (its record and upstream's ledger of it in step, as
 * after its first sync) asks for a config update over a slow link: what the request costs, and how long the
 * update takes against 2L + (request + answer) / B. What the whole record would cost, once, when the ledger
 * is lost or the outpost new, is the encoded size of a request carrying it (its headers and gzipped body).
 */
record HoldingsScenario(int blobs, Duration delay, long bytesPerSecond) {
    record Result(int blobs, long requestBytes, long answerBytes, double seconds, double limitSeconds, double ratio, long wholeRecordBytes) {
    }

    Result run(Path dir, Path registryBinary, Path terraform) throws Exception {
        NamespaceData own = new DataDirectory(dir).outpost().namespace(Tenants.OUTPOST);
        Set<String> items = new TreeSet<>();
        LinkSettings link = new LinkSettings(delay, Duration.ZERO, bytesPerSecond, LinkFaults.NONE, OutageSchedule.alwaysUp(), 1L);
        long[] wholeRecord = new long[1];
        try (BenchLoop loop = BenchLoop.start(dir, link, registryBinary, terraform, (origin, outpost) -> {
            // release 1 pins no image: the scenario is about the request, not about moving an image at 64 kbit/s
            new DemoOrigin(new DataDirectory(dir).originGit().resolve(OneMachine.CONFIG_REPO + ".git"), null, Clock.systemUTC()).current();
            BlobInventory inventory = BlobInventory.of(own);
            for (int i = 0; i < blobs; i++) {
                String digest = "sha256:" + Digests.sha256(("held blob " + i).getBytes(StandardCharsets.UTF_8));
                inventory.add(digest, "demo/held");
                items.add(Holdings.BLOB + digest);
            }
            OutpostHoldings scratch = new OutpostHoldings(dir.resolve("scratch-record.log"), dir.resolve("scratch-record.seen"));
            Holdings whole = scratch.report(items);
            wholeRecord[0] = whole.changes().size() > Holdings.INLINE_CHANGES ? frame(whole.withoutChanges()) + Files.size(scratch.body(whole)) : frame(whole);
            inService(own, new HoldingsLedger(new DataDirectory(dir).upstream().ledgers()), items);
        })) {
            // the first sync also brings the provider and modules release 1 needs: not measured
            DemoOrigin origin = new DemoOrigin(loop.running().origin().dir(), null, Clock.systemUTC());
            loop.untilReady("release 1", () -> loop.running().gateway().sync(OneMachine.CONFIG_REPO, DemoOrigin.BRANCH), Duration.ofMinutes(5));
            long requestBefore = loop.running().link().bytes(LinkDirection.TO_UPSTREAM);
            long answerBefore = loop.running().link().bytes(LinkDirection.TO_OUTPOST);
            origin.publishNext();
            long start = System.nanoTime();
            loop.untilReady("release 2", () -> loop.running().gateway().sync(OneMachine.CONFIG_REPO, DemoOrigin.BRANCH), Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            long request = loop.running().link().bytes(LinkDirection.TO_UPSTREAM) - requestBefore;
            long answer = loop.running().link().bytes(LinkDirection.TO_OUTPOST) - answerBefore;
            double limit = 2 * delay.toMillis() / 1000.0 + (double) (request + answer) / bytesPerSecond;
            return new Result(blobs, request, answer, seconds, limit, seconds / limit, wholeRecord[0]);
        }
    }

    /** The outpost's record of {@code items} and upstream's ledger of it, as a first sync leaves them. */
    private static void inService(NamespaceData own, HoldingsLedger ledger, Set<String> items) {
        OutpostHoldings record = new OutpostHoldings(own.holdings(), own.holdingsSeen());
        ledger.resolve(Tenants.OUTPOST, record.report(items));
        record.seen(ledger.seen(Tenants.OUTPOST));
    }

    private static long frame(Holdings holdings) {
        return new EnvelopeCodec(Chunk.SIZE).encode(Envelope.request(MessageTypes.GIT_SYNC, OneMachine.OUTPOST_NAME,
                Messages.headers(new GitSync(OneMachine.CONFIG_REPO, List.of(), Map.of(), holdings)), Instant.now(), Envelope.DEFAULT_REQUEST_TTL)).length;
    }
}
