package io.outpost.cli;

import io.outpost.data.DataDirectory;
import io.outpost.data.SiteData;
import io.outpost.gateway.upstream.TenantAllowlists;
import io.outpost.gateway.upstream.fleet.Fleet;
import io.outpost.gateway.upstream.fleet.FleetMember;
import io.outpost.link.trust.PublicKeyLine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** At the upstream: the outposts it serves, changed while it runs (it reads the fleet every few seconds). */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"At the upstream: add, list, suspend, resume or remove the outposts it serves.",
                "The running upstream gateway serves a change within a few seconds, without a restart."},
        subcommands = {FleetCommand.Add.class, FleetCommand.ListMembers.class, FleetCommand.Suspend.class, FleetCommand.Resume.class,
                FleetCommand.Remove.class})
final class FleetCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    private static Fleet fleet(CommonOptions common) {
        return new Fleet(upstream(common));
    }

    private static SiteData upstream(CommonOptions common) {
        return new DataDirectory(common.data.toAbsolutePath().normalize()).upstream();
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Serve the outpost whose key line this is ('outpost keys show' there), within the grants given; adding it again changes them.",
                    "With --address, prints the line the outpost joins with over a real network ('outpost keys join LINE' there)."})
    static final class Add implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "KEY_LINE", description = "ed25519 BASE64 OUTPOST: the outpost's key, which names it")
        String key;

        @Option(names = "--repos", split = ",", paramLabel = "GLOB", description = "Repos of this upstream's --repo the outpost may have (default: all).")
        List<String> repos = new ArrayList<>();

        @Option(names = "--images", split = ",", paramLabel = "GLOB", description = "Registry repositories of this upstream's --images it may have (default: all).")
        List<String> images = new ArrayList<>();

        @Option(names = "--tenant-repos", split = ",", paramLabel = "TENANT=GLOB", description = "Repos a tenant of the outpost may have, within --repos.")
        List<String> tenantRepos = new ArrayList<>();

        @Option(names = "--tenant-images", split = ",", paramLabel = "TENANT=GLOB", description = "Registry repositories a tenant may have, within --images.")
        List<String> tenantImages = new ArrayList<>();

        @Option(names = "--address", paramLabel = "HOST:PORT", description = "Where outposts reach this upstream's broker (--listen, --broker-port).")
        String address;

        @Override
        public Integer call() {
            PublicKeyLine line = PublicKeyLine.parse(key);
            TenantAllowlists.Grant grant = new TenantAllowlists.Grant(repos.isEmpty() ? FleetMember.EVERYTHING.repos() : repos,
                    images.isEmpty() ? FleetMember.EVERYTHING.images() : images);
            FleetMember member = fleet(common).add(line, grant, UpstreamOptions.tenants(tenantRepos, tenantImages).grants());
            System.out.println("outpost '" + member.outpost() + "' (key " + line.fingerprint() + ") is in the fleet: " + member.describe()
                    + "; a running upstream serves it within a few seconds");
            if (address != null) {
                System.out.println(UpstreamJoinLine.of(upstream(common), address));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the outposts of the fleet, their grants and whether they are served.")
    static final class ListMembers implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            List<FleetMember> members = fleet(common).members();
            if (members.isEmpty()) {
                System.out.println("no outpost added ('outpost fleet add KEY_LINE'); an upstream gateway serves only the one its --outpost names");
            }
            for (FleetMember member : members) {
                System.out.println(member.outpost() + (member.suspended() ? " (suspended)" : "") + ": " + member.describe());
            }
            return 0;
        }
    }

    /** Suspending or resuming: the one setting of a member that these two commands change. */
    private abstract static class Suspension implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "OUTPOST")
        String outpost;

        abstract boolean suspended();

        @Override
        public Integer call() {
            fleet(common).suspend(outpost, suspended());
            System.out.println(suspended() ? "outpost '" + outpost + "' is suspended: its frames are refused and nothing is pushed to it ('outpost fleet"
                    + " resume " + outpost + "' serves it again)" : "outpost '" + outpost + "' is served again, from where it was");
            return 0;
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Refuse the outpost's frames and push nothing to it, keeping its state.")
    static final class Suspend extends Suspension {
        @Override
        boolean suspended() {
            return true;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Serve a suspended outpost again, from where it was.")
    static final class Resume extends Suspension {
        @Override
        boolean suspended() {
            return false;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Stop serving the outpost and stop trusting its key (its folder at the upstream stays).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "OUTPOST")
        String outpost;

        @Override
        public Integer call() {
            fleet(common).remove(outpost);
            System.out.println("outpost '" + outpost + "' is no longer in the fleet; its key is no longer trusted");
            return 0;
        }
    }
}
