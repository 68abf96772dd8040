package io.outpost.gateway.upstream.fleet;

import io.outpost.content.RefPatterns;
import io.outpost.data.SiteData;
import io.outpost.gateway.upstream.git.OriginMirrors;
import io.outpost.gateway.upstream.push.Subscriptions;
import io.outpost.link.HeardFrom;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.protocol.transfer.OutgoingTransfers;
import io.outpost.protocol.transfer.TransferSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Each outpost of an upstream's fleet as the upstream's data directory tells it, running or not: whether it is served,
 * when it was last heard, what it holds of each repo it subscribed to against the upstream's mirror of its origin, and
 * what is kept for it until it reports it received.
 */
public final class FleetStatus {
    /**
     * How one outpost is served: as added, suspended, or with a folder but no fleet file (the outpost an upstream gateway's
     * {@code --outpost} names, which is served with everything; or one removed, which is not).
     */
    public enum Served { SERVED, SUSPENDED, UNLISTED }

    /** A subscribed repo: the tips the outpost acknowledged holding, and the mirror's tips of the refs it follows. */
    public record Repo(String tenant, String repo, Map<String, String> held, Map<String, String> latest) {
        public boolean upToDate() {
            return !latest.isEmpty() && latest.entrySet().stream().allMatch(tip -> tip.getValue().equals(held.get(tip.getKey())));
        }
    }

    /**
     * @param sending transfers to it not yet reported complete
     * @param bytesKept what the upstream keeps of them (and of any transfer from it) until they are
     */
    public record Outpost(String outpost, Served served, Optional<Instant> lastHeard, List<Repo> subscriptions, int sending, long bytesKept) {
        /** Subscribed repos it does not hold the latest of. */
        public long behind() {
            return FleetStatus.behind(subscriptions);
        }
    }

    private FleetStatus() {
    }

    /** Every outpost added to the fleet or with a folder at the upstream, by name. */
    public static List<Outpost> read(SiteData upstream) {
        Map<String, Served> outposts = new TreeMap<>();
        upstream.outposts().forEach(folder -> outposts.put(folder.dir().getFileName().toString(), Served.UNLISTED));
        new Fleet(upstream).members().forEach(member -> outposts.put(member.outpost(), member.suspended() ? Served.SUSPENDED : Served.SERVED));
        OriginMirrors mirrors = new OriginMirrors(upstream.mirrors());
        List<Outpost> all = new ArrayList<>();
        outposts.forEach((outpost, served) -> all.add(of(upstream, mirrors, outpost, served)));
        return all;
    }

    /** One outpost's status; {@code mirrors} are the upstream's. */
    public static Outpost of(SiteData upstream, OriginMirrors mirrors, String outpost, Served served) {
        SiteData own = upstream.outpost(outpost);
        int sending = Files.isDirectory(own.transfersOut())
                ? new OutgoingTransfers(own.transfersOut(), new EnvelopeCodec(Chunk.SIZE), new TransferSender(Chunk.SIZE)).pending() : 0;
        return new Outpost(outpost, served, HeardFrom.lastHeard(own.lastHeard()), subscriptions(upstream, mirrors, outpost), sending, bytesKept(own));
    }

    /** What {@code outpost} acknowledged holding of each repo it subscribed to, against the mirror's tips of the refs it follows. */
    public static List<Repo> subscriptions(SiteData upstream, OriginMirrors mirrors, String outpost) {
        List<Repo> repos = new ArrayList<>();
        for (Subscriptions.Subscription subscription : new Subscriptions(upstream.outpost(outpost).subscriptions()).list()) {
            String repo = subscription.acknowledged().repo();
            Map<String, String> latest = Files.isDirectory(upstream.mirrors().resolve(repo + ".git"))
                    ? mirrors.tips(repo, subscription.acknowledged().refs(), RefPatterns.ALL) : Map.of();
            repos.add(new Repo(subscription.tenant(), repo, subscription.acknowledged().haves(), latest));
        }
        return repos;
    }

    /** Of {@code repos}, those whose latest the outpost does not hold. */
    public static long behind(List<Repo> repos) {
        return repos.stream().filter(repo -> !repo.upToDate()).count();
    }

    /** What the upstream keeps for transfers to the outpost whose folder is {@code own}, until it reports them received. */
    public static long bytesKept(SiteData own) {
        return bytesUnder(own.transfersOut());
    }

    private static long bytesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
