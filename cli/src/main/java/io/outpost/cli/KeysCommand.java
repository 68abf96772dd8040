package io.outpost.cli;

import io.outpost.data.DataDirectory;
import io.outpost.data.SiteData;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.link.network.JoinLine;
import io.outpost.link.network.UpstreamTrust;
import io.outpost.link.trust.PublicKeyLine;
import io.outpost.link.trust.SiteKeys;
import io.outpost.link.trust.TrustedKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A site's signing keys: show its public key, trust another site's. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Show this site's public key, or trust another site's.",
                "Each site signs what it sends with its Ed25519 key (created on first use under DATA/<site>/keys/);",
                "the other site accepts only what a key it trusts signed."},
        subcommands = {KeysCommand.Show.class, KeysCommand.Trust.class, KeysCommand.Exchange.class, KeysCommand.JoinLineCommand.class,
                KeysCommand.Join.class})
final class KeysCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Which site's keys: the outpost's (named) or the upstream's. */
    static final class SiteOption {
        @Option(names = "--site", defaultValue = "outpost", description = "outpost or upstream: whose keys (default: ${DEFAULT-VALUE}).")
        String site;

        @Mixin
        OutpostNameOption outpost;

        SiteKeys keys(Path data) {
            return switch (site) {
                case "outpost" -> SiteKeys.loadOrCreate(new DataDirectory(data).outpost().keys(), outpost.name);
                case "upstream" -> SiteKeys.loadOrCreate(new DataDirectory(data).upstream().keys(), UpstreamGateway.SITE);
                default -> throw new IllegalArgumentException("--site is 'outpost' or 'upstream', not '" + site + "'");
            };
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print this site's public key line, to give to the other site.")
    static final class Show implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        SiteOption site;

        @Override
        public Integer call() {
            System.out.println(site.keys(common.data.toAbsolutePath().normalize()).publicKey());
            return 0;
        }
    }

    @Command(name = "exchange", mixinStandardHelpOptions = true,
            description = "Both sites under this one data directory (one machine, or compose): each trusts the other's key.")
    static final class Exchange implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        OutpostNameOption outpost;

        @Override
        public Integer call() {
            OneMachine.exchangeKeys(common.data.toAbsolutePath().normalize(), outpost.name);
            System.out.println("outpost '" + outpost.name + "' and upstream trust each other's keys");
            return 0;
        }
    }

    @Command(name = "join-line", mixinStandardHelpOptions = true,
            description = {"At the upstream: print the line an outpost takes to join over a real network ('outpost keys join LINE' there):",
                    "the address to dial, the fingerprint of this site's CA, the link user's password and this site's key. Pass it as a secret."})
    static final class JoinLineCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--address", required = true, paramLabel = "HOST:PORT",
                description = "Where outposts reach this site's broker: the address and port 'upstream-gateway --listen --broker-port' opens.")
        String address;

        @Override
        public Integer call() {
            SiteData upstream = new DataDirectory(common.data).upstream();
            JoinLine line = UpstreamJoinLine.of(upstream, address);
            System.out.println(line);
            return 0;
        }
    }

    @Command(name = "join", mixinStandardHelpOptions = true,
            description = {"At the outpost: join the upstream whose 'keys join-line' printed LINE. Connects to its broker once, keeps its CA",
                    "only if the fingerprint matches, keeps the link user's password and trusts the upstream's key. The outpost gateway",
                    "then dials that address. The upstream must trust this outpost's key too ('keys trust --site upstream', there)."})
    static final class Join implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        OutpostNameOption outpost;

        @Parameters(index = "0", paramLabel = "JOIN_LINE", description = "outpost-join/1 HOST:PORT sha256:FINGERPRINT PASSWORD ed25519 KEY upstream")
        String line;

        @Override
        public Integer call() {
            JoinLine join = JoinLine.parse(line);
            SiteData site = new DataDirectory(common.data).outpost();
            new UpstreamTrust(site.upstreamLink()).join(join, Duration.ofSeconds(30));
            SiteKeys keys = SiteKeys.loadOrCreate(site.keys(), outpost.name);
            TrustedKeys.of(keys).trust(join.upstreamKey());
            System.out.println("outpost '" + outpost.name + "' joined the upstream at " + join.address() + " (CA sha256:" + join.caFingerprint().substring(0, 16)
                    + "…, key " + join.upstreamKey().fingerprint() + "); give the upstream this outpost's key: " + keys.publicKey());
            return 0;
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true, description = "Trust another site's public key line, as 'keys show' printed it there.")
    static final class Trust implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        SiteOption site;

        @Parameters(index = "0", paramLabel = "KEY_LINE", description = "ed25519 BASE64 SITE")
        String line;

        @Override
        public Integer call() {
            PublicKeyLine key = PublicKeyLine.parse(line);
            TrustedKeys.of(site.keys(common.data.toAbsolutePath().normalize())).trust(key);
            System.out.println("the " + site.site + " site now trusts '" + key.site() + "' (" + key.fingerprint() + ")");
            return 0;
        }
    }
}
