package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.content.provider.ProviderPlatform;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.protocol.MessageTypes;
import io.outpost.registry.LocalRegistry;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One round trip per update: the sync request carries what the outpost holds, and upstream answers with
 * the bundle and everything its commits need that the outpost lacks, so the worker asks nothing more.
 */
class OneRoundTripIT {
    private static final List<String> REQUESTS = List.of(MessageTypes.GIT_SYNC, MessageTypes.IMAGE_PULL, MessageTypes.PROVIDER_GET);

    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry outpost = loop.outpost;

    @Test
    void aCommitThatChangesConfigAnImageLayerAndAProviderVersionConvergesOnOneRequest() throws Exception {
        OneMachine.Running running = Journeys.start(sites, sites.camel(),
                loop.registries());
        RunRecord first = running.runner().run(StackRunner.SCHEDULED);
        assertThat(first.outcome()).as(String.valueOf(first.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(requests(running)).as("even the first release: config, image and provider on one request").isEqualTo(1);
        Map<String, LinkTotal> before = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());

        running.providers().publish("1.1.0");
        Files.delete(sites.data().resolve("outpost/worker/demo/config/.terraform.lock.hcl"));
        running.origin().publishNext();
        RunRecord second = running.runner().run(StackRunner.SCHEDULED);

        assertThat(second.outcome()).as(String.valueOf(second.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(second.outputs()).containsEntry("release", "2");
        assertThat(requests(running)).as("one more request for the whole update").isEqualTo(2);
        Map<String, LinkTotal> after = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());
        assertThat(messages(after, MessageTypes.PROVIDER_PACKAGE) - messages(before, MessageTypes.PROVIDER_PACKAGE)).as("provider 1.1.0").isEqualTo(1);
        long newBlobs = loop.newBlobBytes(first.outputs().get("image"), second.outputs().get("image"));
        long carried = bytesExceptGit(after) - bytesExceptGit(before);
        System.out.printf("update: %d bytes of images and providers on the link for %d bytes of new blobs%n", carried, newBlobs);
        assertThat(carried).as("only the new blobs (and the small provider package) crossed").isBetween(newBlobs, newBlobs + 32 * 1024);
        assertThat(Files.readString(sites.data().resolve("outpost/worker/demo/config/.terraform.lock.hcl"))).contains("\"1.1.0\"");
        assertThat(sites.data().resolve("outpost/providers/registry.outpost.test/demo/stamp/terraform-provider-stamp_1.1.0_"
                + ProviderPlatform.current() + ".zip")).exists();
    }

    @Test
    void anUpstreamThatLostItsLedgerOfTheHoldingsGetsTheWholeRecordAndStillSendsOnlyTheNewBlobs() throws Exception {
        OneMachine.Running running = Journeys.start(sites, sites.camel(), loop.registries());
        RunRecord first = running.runner().run(StackRunner.SCHEDULED);
        assertThat(first.outcome()).as(String.valueOf(first.error())).isEqualTo(RunOutcome.CONVERGED);
        // the next sync tells upstream what the first brought, so the ledger holds the outpost's holdings
        assertThat(running.runner().run(StackRunner.SCHEDULED).outcome()).isEqualTo(RunOutcome.CONVERGED);
        Map<String, LinkTotal> before = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());

        io.outpost.data.DurableFiles.deleteTree(ledgers());
        running.origin().publishNext();
        RunRecord second = running.runner().run(StackRunner.SCHEDULED);

        assertThat(second.outcome()).as(String.valueOf(second.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(second.outputs()).containsEntry("release", "2");
        Map<String, LinkTotal> after = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());
        assertThat(messages(after, MessageTypes.ERROR) - messages(before, MessageTypes.ERROR)).as("holdings-unknown, once").isEqualTo(1);
        assertThat(requests(running)).as("two syncs, then the third once more with the whole record").isEqualTo(4);
        long newBlobs = loop.newBlobBytes(first.outputs().get("image"), second.outputs().get("image"));
        long carried = bytesExceptGit(after) - bytesExceptGit(before) - (after.get(MessageTypes.ERROR).bytes() - before.getOrDefault(MessageTypes.ERROR,
                new LinkTotal(0, 0)).bytes());
        assertThat(carried).as("no blob the outpost held crossed again").isBetween(newBlobs, newBlobs + 32 * 1024);
        assertThat(ledgers().resolve("outpost.log")).as("the ledger started again from the whole record").exists();
    }


    /** The upstream's ledgers of what the demo's outpost holds, in that outpost's folder of the fleet. */
    private java.nio.file.Path ledgers() {
        return new io.outpost.data.DataDirectory(sites.data()).upstream().outpost(OneMachine.OUTPOST_NAME).ledgers();
    }

    private static long bytesExceptGit(Map<String, LinkTotal> byType) {
        return byType.entrySet().stream().filter(type -> !type.getKey().startsWith("Git")).mapToLong(type -> type.getValue().bytes()).sum();
    }

    private static long requests(OneMachine.Running running) {
        Map<String, LinkTotal> toUpstream = running.link().totals().getOrDefault(LinkDirection.TO_UPSTREAM.tag(), Map.of());
        return REQUESTS.stream().mapToLong(type -> messages(toUpstream, type)).sum();
    }

    private static long messages(Map<String, LinkTotal> byType, String type) {
        return byType.getOrDefault(type, new LinkTotal(0, 0)).messages();
    }
}
