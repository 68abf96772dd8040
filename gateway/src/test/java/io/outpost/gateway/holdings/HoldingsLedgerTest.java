package io.outpost.gateway.holdings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.data.DurableFiles;
import io.outpost.gateway.outpost.OutpostHoldings;
import io.outpost.gateway.upstream.HoldingsLedger;
import io.outpost.gateway.upstream.HoldingsUnknownException;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.Holdings;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outpost's record of its holdings and upstream's ledger of it, as a request and its answer use them: what a
 * request carries grows with what changed, not with what is held, and every disagreement between the two views ends
 * in a request the ledger can add up, never in upstream assuming a blob the outpost lacks.
 */
class HoldingsLedgerTest {
    private static final String OWN = "";

    @TempDir
    Path dir;
    private OutpostHoldings outpost;
    private HoldingsLedger upstream;
    private Set<String> held;

    @BeforeEach
    void sites() {
        outpost = new OutpostHoldings(dir.resolve("outpost/holdings.log"), dir.resolve("outpost/holdings.seen"));
        upstream = new HoldingsLedger(dir.resolve("upstream/ledgers"));
        held = new TreeSet<>();
        for (int i = 0; i < 10_000; i++) {
            held.add(Holdings.BLOB + blob(i));
        }
        for (int i = 0; i < 200; i++) {
            held.add(Holdings.PROVIDER + "registry.terraform.io/hashicorp/p" + i + "/1.0." + i + "/linux_amd64");
        }
    }

    @Test
    void onceTheLedgerHasTheRecordARequestCarriesOnlyWhatChangedAndStaysUnderTwoKilobytes() {
        assertThat(request(held)).isEqualTo(held);

        held.add(Holdings.BLOB + blob(10_001));
        held.remove(Holdings.BLOB + blob(3));
        GitSync sync = sync(held);
        Set<String> resolved = answer(sync);

        assertThat(sync.holdings().changes()).containsExactly("-" + Holdings.BLOB + blob(3), "+" + Holdings.BLOB + blob(10_001));
        assertThat(resolved).isEqualTo(held);
        assertThat(frameBytes(sync)).as("a sync's frame for 10,000 blobs and 200 provider packages").isLessThan(2048);
    }

    @Test
    void aWholeRecordTooBigForTheHeadersTravelsAsTheRequestsBodyAndABodyThatDoesNotFitIsRefused() throws Exception {
        Holdings whole = outpost.report(held);
        Path body = outpost.body(whole);
        GitSync sync = new GitSync("infra", List.of(), Map.of(), whole.withoutChanges());

        assertThat(frameBytes(sync)).isLessThan(2048);
        assertThat(Files.size(body)).as("10,200 changes gzipped").isLessThan(600_000);
        assertThat(answer(new GitSync("infra", List.of(), Map.of(), sync.holdings().withChangesFrom(body)))).isEqualTo(held);
        Holdings.writeChanges(whole.changes().subList(0, 10), body);
        assertThatThrownBy(() -> sync.holdings().withChangesFrom(body)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("carries 10");
    }

    @Test
    void aLostLedgerIsToldAndTheWholeRecordThatFollowsStartsItAgain() throws Exception {
        request(held);
        DurableFiles.deleteTree(dir.resolve("upstream"));
        upstream = new HoldingsLedger(dir.resolve("upstream/ledgers"));
        held.add(Holdings.BLOB + blob(20_000));

        assertThatThrownBy(() -> answer(sync(held))).isInstanceOf(HoldingsUnknownException.class).hasMessageContaining("no ledger");
        outpost.unknownUpstream();
        GitSync whole = sync(held);

        assertThat(whole.holdings().since()).isZero();
        assertThat(answer(whole)).isEqualTo(held);
        assertThat(sync(held).holdings().changes()).isEmpty();
    }

    @Test
    void anOutpostRestoredFromAnOlderBackupIsNeverTakenToHoldWhatItLost() throws Exception {
        request(held);
        Path backup = copy(dir.resolve("outpost"), dir.resolve("backup"));
        Set<String> before = new TreeSet<>(held);
        held.add(Holdings.BLOB + blob(30_000));
        request(held);
        // the disk is lost; the backup comes back, with the blob store as it was then
        DurableFiles.deleteTree(dir.resolve("outpost"));
        copy(backup, dir.resolve("outpost"));
        outpost = new OutpostHoldings(dir.resolve("outpost/holdings.log"), dir.resolve("outpost/holdings.seen"));
        Set<String> restored = new TreeSet<>(before);
        restored.add(Holdings.BLOB + blob(30_001));

        Set<String> resolved = answer(sync(restored));

        assertThat(resolved).isEqualTo(restored).doesNotContain(Holdings.BLOB + blob(30_000));
    }

    @Test
    void aBlobTheRegistryLostIsForgottenSoUpstreamSendsItAgain() {
        request(held);
        held.remove(Holdings.BLOB + blob(7));

        assertThat(answer(sync(held))).doesNotContain(Holdings.BLOB + blob(7));
    }

    @Test
    void aLedgerThatDisagreesWithTheOutpostsDigestAsksForTheWholeRecord() throws Exception {
        request(held);
        Path ledger = dir.resolve("upstream/ledgers/outpost.log");
        Files.writeString(ledger, Files.readString(ledger).replace(blob(5), blob(60_000)));
        upstream = new HoldingsLedger(dir.resolve("upstream/ledgers"));
        held.add(Holdings.BLOB + blob(40_000));

        assertThatThrownBy(() -> answer(sync(held))).isInstanceOf(HoldingsUnknownException.class).hasMessageContaining("do not add up");
    }

    @Test
    void anOlderRequestOvertakenByANewerOneLeavesTheLedgerWhereTheNewerPutIt() {
        request(held);
        held.add(Holdings.BLOB + blob(50_000));
        GitSync older = sync(held);
        held.add(Holdings.BLOB + blob(50_001));
        GitSync newer = sync(held);

        answer(newer);
        Set<String> olderView = answer(older);

        assertThat(olderView).contains(Holdings.BLOB + blob(50_000)).doesNotContain(Holdings.BLOB + blob(50_001));
        assertThat(upstream.seen(OWN).upTo()).isEqualTo(newer.holdings().upTo());
    }

    @Test
    void aRecordCutShortByACrashDropsItsLastLineAndAppendsNoGarbage() throws Exception {
        Path file = dir.resolve("journal.log");
        HoldingsJournal journal = HoldingsJournal.create(file, "0123456789abcdef", List.of("+" + Holdings.BLOB + blob(1)));
        long size = Files.size(file);
        journal.append(List.of("+" + Holdings.BLOB + blob(2)));
        assertThat(Files.size(file) - size).as("an append writes its line only").isEqualTo(("+" + Holdings.BLOB + blob(2) + "\n").length());
        Files.write(file, "+blob sha256:12".getBytes(), java.nio.file.StandardOpenOption.APPEND);

        HoldingsJournal read = HoldingsJournal.read(file).orElseThrow();
        read.append(List.of("+" + Holdings.BLOB + blob(3)));

        assertThat(HoldingsJournal.read(file).orElseThrow().held())
                .containsExactlyInAnyOrder(Holdings.BLOB + blob(1), Holdings.BLOB + blob(2), Holdings.BLOB + blob(3));
        Files.writeString(file, "holdings 0123456789abcdef\n+blob nope\n");
        assertThatThrownBy(() -> HoldingsJournal.read(file)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(file + ":2");
    }

    /** One request and its answer: the ledger resolves it, and the answer tells the outpost where the ledger stands. */
    private Set<String> request(Set<String> items) {
        return answer(sync(items));
    }

    private GitSync sync(Set<String> items) {
        return new GitSync("infra", List.of(), Map.of("refs/heads/main", "a".repeat(40)), outpost.report(items));
    }

    private Set<String> answer(GitSync sync) {
        Set<String> resolved = upstream.resolve(OWN, sync.holdings()).items();
        outpost.seen(upstream.seen(OWN));
        return resolved;
    }

    private static long frameBytes(GitSync sync) {
        return new EnvelopeCodec(256 * 1024).encode(Envelope.request(MessageTypes.GIT_SYNC, "polar-1", Messages.headers(sync), Instant.now(),
                Duration.ofHours(1))).length;
    }

    private static String blob(int i) {
        return "sha256:" + io.outpost.content.Digests.sha256(Integer.toString(i).getBytes());
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }
}
