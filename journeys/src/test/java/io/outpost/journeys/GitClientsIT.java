package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.cli.OneMachine;
import io.outpost.cli.OutpostCli;
import io.outpost.data.DataDirectory;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.link.TransferTiming;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.link.SimulatedLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every git client at the outpost: a repository whose default branch is master, with signed release tags,
 * synced by an operator and followed by tag glob, is cloned, shallow-cloned and fetched by C git from the
 * outpost's git server exactly as the origin has it.
 */
class GitClientsIT {
    private static final String REPO = "team-modules";

    @RegisterExtension
    final TwoSites sites = new TwoSites();
    private Path origin;
    private OutpostGateway.Installed outpost;
    private String password;

    @BeforeEach
    void start() throws Exception {
        origin = sites.data().resolve("origin/team-modules");
        Files.createDirectories(origin);
        git(origin, "init", "--initial-branch", "master");
        Path key = sites.data().resolve("signing-key");
        git(sites.data(), "!ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "release@origin", "-f", key.toString());
        git(origin, "config", "gpg.format", "ssh");
        git(origin, "config", "user.signingkey", key.toString());
        for (int i = 1; i <= 3; i++) {
            release(i);
        }
        git(origin, "branch", "dev");

        DataDirectory layout = new DataDirectory(sites.data());
        Clock clock = Clock.systemUTC();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TransferTiming timing = TransferTiming.forRoundTrip(Duration.ofMillis(200));
        UpstreamGateway.builder(OneMachine.OUTPOST_NAME, layout.upstream())
                .repos(new Allowlist(Map.of(REPO, new URIish(origin.toUri().toURL())), Map.of(REPO, List.of("refs/heads/master", "refs/tags/v*"))))
                .timing(timing).pollEvery(Duration.ofMillis(500)).meters(meters).clock(clock).build().install(sites.camel());
        OneMachine.exchangeKeys(sites.data(), OneMachine.OUTPOST_NAME);
        new SimulatedLink(OneMachine.OUTPOST_NAME, layout, new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 0), meters, clock).install(sites.camel());
        outpost = OutpostGateway.builder(OneMachine.OUTPOST_NAME, layout.outpost()).timing(timing).meters(meters).clock(clock).build()
                .install(sites.camel());
        password = Files.readString(layout.outpost().gitPassword("git")).strip();
    }

    private void release(int i) throws IOException, InterruptedException {
        Files.writeString(origin.resolve("CHANGELOG.md"), "## " + i + "\n- release " + i + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Files.writeString(origin.resolve("main.tf"), "variable \"release\" { default = " + i + " }\n");
        git(origin, "add", ".");
        git(origin, "commit", "-S", "-m", "release " + i);
        git(origin, "tag", "-s", "-m", "release " + i, "v" + i);
    }

    @Test
    void cGitClonesFetchesAndVerifiesWhatTheOutpostHolds() throws Exception {
        assertThat(outpostCli("sync", REPO, "--ref", "refs/tags/v*")).isZero();
        assertThat(outpostCli("sync", REPO)).as("the default branch, whatever it is called").isZero();
        assertThat(outpostCli("sync", REPO, "--ref", "refs/heads/dev")).as("not on the upstream's allowlist").isEqualTo(1);

        Path work = sites.data().resolve("clients");
        Files.createDirectories(work);
        String clone = clone(work, "plain");
        assertThat(clone).doesNotContain("nonexistent ref");
        Path plain = work.resolve("plain");
        assertThat(git(plain, "symbolic-ref", "HEAD").strip()).isEqualTo("refs/heads/master");
        git(plain, "fsck", "--strict");
        assertThat(refs(plain, "ls-remote", "origin")).as("what the outpost serves is what the origin has, within the allowlist")
                .isEqualTo(without(refs(origin, "show-ref", "--dereference"), "refs/heads/dev"));
        Path signers = sites.data().resolve("allowed-signers");
        Files.writeString(signers, "release@origin " + Files.readString(sites.data().resolve("signing-key.pub")));
        git(plain, "config", "gpg.ssh.allowedSignersFile", signers.toString());
        git(plain, "verify-commit", "HEAD");
        git(plain, "verify-tag", "v3");

        clone(work, "shallow", "--depth", "1");
        assertThat(git(work.resolve("shallow"), "rev-list", "--count", "HEAD").strip()).isEqualTo("1");

        assertThat(outpostCli("subscribe", REPO, "--ref", "refs/tags/v*")).isZero();
        release(4);
        await().atMost(Duration.ofSeconds(60)).until(() -> git(plain, "ls-remote", "origin", "refs/tags/v4").contains("refs/tags/v4"));
        git(work.resolve("shallow"), "fetch", "origin", "tag", "v4");
        assertThat(git(work.resolve("shallow"), "rev-parse", "v4^{commit}").strip()).isEqualTo(git(origin, "rev-parse", "v4^{commit}").strip());
    }

    private int outpostCli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data", sites.data().toString(), "--broker", sites.outpost().access(BrokerRole.OPERATOR).url(),
                "--name", OneMachine.OUTPOST_NAME, "--wait", "60s"));
        if (args[0].equals("subscribe")) {
            all.removeAll(List.of("--wait", "60s"));
        }
        return OutpostCli.commandLine().execute(all.toArray(String[]::new));
    }

    private String clone(Path work, String into, String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("clone"));
        args.addAll(List.of(options));
        args.add(outpost.gitUrl("", REPO).toString().replace("https://", "https://git:" + password + "@"));
        args.add(into);
        return git(work, args.toArray(String[]::new));
    }

    /** The refs a listing names, as "ID REF" lines, sorted. */
    private TreeSet<String> refs(Path in, String... listing) throws IOException, InterruptedException {
        TreeSet<String> refs = new TreeSet<>(git(in, listing).lines().map(line -> line.replace('\t', ' ')).toList());
        refs.removeIf(line -> line.endsWith(" HEAD"));
        return refs;
    }

    private static TreeSet<String> without(TreeSet<String> refs, String ref) {
        refs.removeIf(line -> line.endsWith(" " + ref));
        return refs;
    }

    /** Runs C git (or, after a '!', another program) and returns its output; fails the test when it exits non-zero. */
    private String git(Path in, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (args[0].startsWith("!")) {
            command.add(args[0].substring(1));
            command.addAll(List.of(args).subList(1, args.length));
        } else {
            command.addAll(List.of("git", "-c", "credential.helper=", "-c", "user.name=Release", "-c", "user.email=release@origin"));
            command.addAll(List.of(args));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("GIT_SSL_CAINFO", outpost == null ? "" : outpost.caCertificate().toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
