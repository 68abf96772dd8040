package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.InternalCa;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.cli.OneMachine;
import io.outpost.cli.SiteStatus;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.data.NamespaceData;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.transfer.TransferProgress;
import io.outpost.txrxsim.link.LinkSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator's worst week on one loop, fault after fault, each followed by a release: the outpost's disk full, a
 * hundred slow clients on its provider mirror, then each state file damaged across a restart. After each the
 * release converges with no one's help, nothing is dead-lettered at either site, and the release's new layers
 * cross the link once. (The local registry down while an image arrives is {@link LocalFaultsIT}'s.)
 */
class ChaosIT {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;

    private OneMachine.Running running;
    private RunRecord last;

    @Test
    void eachFaultIsRiddenOutWithoutHelpNothingDeadLetteredAndEachNewLayerCrossingOnce() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounts a small tmpfs under the outpost's transfers: needs root (CI runs as root)");
        DataDirectory data = new DataDirectory(sites.data());
        Path transfers = data.outpost().transfersIn();
        Files.createDirectories(transfers);
        run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", transfers.toString());
        try {
            start();
            last = converged();

            diskFull(transfers);
            fullToTheLastByte(transfers);
            slowClientsOnTheProviderMirror();

            NamespaceData own = data.outpost().namespace(Tenants.OUTPOST);
            damagedAcrossARestart(data.outpost().seenFrames(), "garbage\u0000\u00ff\n12 ");
            damagedAcrossARestart(data.linkStats(), "{\"to-outpost\": {\"Chunk\": ");
            damagedAcrossARestart(own.registryInventory(), null);
            damagedAcrossARestart(own.holdings(), "not a holdings record\n");
        } finally {
            run("umount", "-l", transfers.toString());
        }
    }

    /** The outpost's transfers fill their disk while a release brings a new layer, then the disk is enlarged. */
    private void diskFull(Path transfers) throws Exception {
        Map<String, LinkTotal> before = toOutpost();
        run("mount", "-o", "remount,size=1m", transfers.toString());
        running.origin().publishNext();
        RunRecord whileFull = running.runner().run(StackRunner.SCHEDULED);
        assertThat(whileFull.outcome()).as("the layer waits for room").isEqualTo(RunOutcome.PENDING);
        List<TransferProgress> waiting = SiteStatus.read(sites.data(), 1).transfers();
        assertThat(waiting).as("status says what waits and why, with no ETA").singleElement().satisfies(transfer -> {
            assertThat(transfer.waiting()).isNotNull();
            assertThat(transfer.waiting().storedAt()).isEqualTo(transfers.toString());
            assertThat(transfer.waiting().neededBytes()).isEqualTo(transfer.size());
            assertThat(transfer.eta()).isEmpty();
        });
        assertThat(ImageBytesCarried.bytes(toOutpost(), MessageTypes.CHUNK) - ImageBytesCarried.bytes(before, MessageTypes.CHUNK))
                .as("no chunk sent while the outpost has no room").isZero();

        run("mount", "-o", "remount,size=64m", transfers.toString());
        ridden(before, "disk full");
    }

    /** Something else fills the disk under the outpost's transfers to the last byte while a release arrives, then goes. */
    private void fullToTheLastByte(Path transfers) throws Exception {
        Map<String, LinkTotal> before = toOutpost();
        Path filler = transfers.resolve("filler");
        try (var out = Files.newOutputStream(filler)) {
            byte[] block = new byte[64 * 1024];
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // as intended: not a byte left
        }
        running.origin().publishNext();
        RunRecord whileFull = running.runner().run(StackRunner.SCHEDULED);
        assertThat(whileFull.outcome()).as("nothing of the answer can be stored").isEqualTo(RunOutcome.PENDING);
        assertThat(sites.outpost().depth(Addresses.LINK_INBOUND)).as("what arrived waits on the queue").isPositive();
        Files.delete(filler);
        ridden(before, "disk full to the last byte");
    }

    /** A hundred TLS clients that send a request line and then nothing, while a release's run inits terraform against the mirror. */
    private void slowClientsOnTheProviderMirror() throws Exception {
        Map<String, LinkTotal> before = toOutpost();
        URI mirror = running.outpost().providerMirror();
        var tls = InternalCa.loadOrCreate(running.outpost().caCertificate().getParent(), "unused", Clock.systemUTC()).clientContext();
        List<SSLSocket> slow = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            for (int i = 0; i < 100; i++) {
                clients.execute(() -> {
                    try {
                        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(mirror.getHost(), mirror.getPort());
                        synchronized (slow) {
                            slow.add(socket);
                        }
                        socket.startHandshake();
                        socket.getOutputStream().write(("GET " + mirror.getPath() + "registry.outpost.test/demo/stamp/index.json HTTP/1.1\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                    } catch (IOException cutOff) {
                        // the mirror may close it: what matters is that terraform's requests are answered beside them
                    }
                });
            }
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            running.origin().publishNext();
            ridden(before, "100 slow clients on the provider mirror");
        } finally {
            clients.shutdownNow();
            synchronized (slow) {
                for (SSLSocket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    /** Both sites stop; {@code file} is cut in half ({@code garbage} null) or overwritten with it; both start again. */
    private void damagedAcrossARestart(Path file, String garbage) throws Exception {
        sites.restart();
        assertThat(file).as("a state file the loop keeps").exists();
        if (garbage == null) {
            byte[] whole = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        } else {
            Files.writeString(file, garbage);
        }
        start();
        Map<String, LinkTotal> before = toOutpost();
        running.origin().publishNext();
        ridden(before, "damaged " + sites.data().relativize(file));
    }

    /** After {@code fault}: the release just published converges, nothing is dead-lettered, its new layers crossed the link once. */
    private void ridden(Map<String, LinkTotal> before, String fault) throws Exception {
        RunRecord after = converged();
        assertThat(after.outputs()).as(fault).containsEntry("release", String.valueOf(running.origin().current().number()));
        assertThat(sites.outpost().depth(Addresses.DEAD) + sites.upstream().depth(Addresses.DEAD)).as(fault + ": nothing dead-lettered").isZero();
        long newBlobs = loop.newBlobBytes(last.outputs().get("image"), after.outputs().get("image"));
        assertThat(ImageBytesCarried.between(before, toOutpost())).as(fault + ": the release's new layers crossed once")
                .isBetween(newBlobs, newBlobs * 11 / 10 + 4096);
        last = after;
    }

    private RunRecord converged() {
        RunRecord record = running.runner().run(StackRunner.SCHEDULED);
        assertThat(record.outcome()).as(String.valueOf(record.error())).isEqualTo(RunOutcome.CONVERGED);
        return record;
    }

    private void start() throws Exception {
        // a run gives up on the link after 6 s: the one while the disk is full ends pending that soon
        running = Journeys.start(sites, sites.camel(), loop.registries(), new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0), Duration.ofSeconds(6));
    }

    private Map<String, LinkTotal> toOutpost() {
        return running.link().totals().getOrDefault(LinkDirection.TO_OUTPOST.tag(), Map.of());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
