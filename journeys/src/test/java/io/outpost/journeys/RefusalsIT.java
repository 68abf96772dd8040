package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.DeadLetterQueue;
import io.outpost.cli.OneMachine;
import io.outpost.data.DataDirectory;
import io.outpost.iacworker.IacWorker;
import io.outpost.iacworker.ProviderMirrorAccess;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.Stack;
import io.outpost.iacworker.StackRunner;
import io.outpost.txrxsim.origin.DemoOrigin;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad requests and bad messages get clear answers and never stop the flow. */
class RefusalsIT {
    @RegisterExtension
    final TwoSites sites = new TwoSites();

    @Test
    void aRepoNotOnTheAllowlistIsRefusedWithAClearError() throws Exception {
        Journeys.start(sites);
        StackRunner secret = IacWorker.builder(new DataDirectory(sites.data()).outpost(), new Stack("secret", "secret-repo", DemoOrigin.BRANCH),
                        new ProviderMirrorAccess(URI.create("https://127.0.0.1:9/"), sites.data().resolve("no-ca.pem")), Journeys.TERRAFORM)
                .outpost(OneMachine.OUTPOST_NAME).firstRunAfter(Duration.ofHours(1)).runEvery(Duration.ofHours(1)).syncWait(Duration.ofSeconds(20))
                .build().install(sites.camel()).runner();

        RunRecord run = secret.run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(run.error()).contains("forbidden").contains("'secret-repo' is not on this upstream's allowlist");
        assertThat(sites.data().resolve("outpost/git/secret-repo.git/refs/heads/main")).doesNotExist();
    }

    @ParameterizedTest(name = "garbage on {0}:{1}")
    @CsvSource({"outpost, " + Addresses.REQUESTS + ", not an Outpost envelope", "outpost, " + Addresses.LINK_INBOUND + ", carries no signature",
            "upstream, " + Addresses.LINK_INBOUND + ", carries no signature"})
    void aMalformedMessageIsDeadLetteredWithItsReasonAndTheLoopKeepsWorking(String site, String queue, String reason) throws Exception {
        OneMachine.Running running = Journeys.start(sites);
        CamelContext camel = sites.camel();
        ProducerTemplate producer = camel.createProducerTemplate();
        ConsumerTemplate consumer = camel.createConsumerTemplate();

        producer.sendBody(site + ":queue:" + queue, "this is not an envelope".getBytes());
        Exchange dead = consumer.receive(site + ":queue:" + Addresses.DEAD, 10_000);

        assertThat(dead).as("dead-lettered").isNotNull();
        assertThat(dead.getIn().getBody(byte[].class)).isEqualTo("this is not an envelope".getBytes());
        assertThat(dead.getIn().getHeader(Addresses.REJECT_REASON, String.class)).contains(reason);
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);
        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.CONVERGED);
    }

    @Test
    void deadLettersAreListedWithWhereTheyCameFromPutBackThereAndDropped() throws Exception {
        Journeys.start(sites);
        ProducerTemplate producer = sites.camel().createProducerTemplate();
        producer.sendBody("outpost:queue:" + Addresses.REQUESTS, "first garbage".getBytes());
        producer.sendBody("outpost:queue:" + Addresses.LINK_INBOUND, "second garbage".getBytes());
        DeadLetterQueue dead = new DeadLetterQueue(sites.outpost().access(BrokerRole.OPERATOR));
        List<DeadLetterQueue.DeadLetter> both = awaitDead(dead, 2);

        assertThat(both).extracting(DeadLetterQueue.DeadLetter::from).containsExactlyInAnyOrder(Addresses.REQUESTS, Addresses.LINK_INBOUND);
        assertThat(dead.list("carries no signature")).singleElement().extracting(DeadLetterQueue.DeadLetter::from).isEqualTo(Addresses.LINK_INBOUND);
        // put back, the request queue's route takes it again (and, garbage still, dead-letters it again)
        assertThat(dead.retry("not an Outpost envelope")).hasSize(1);
        assertThat(awaitDead(dead, 2)).extracting(DeadLetterQueue.DeadLetter::id).doesNotContainAnyElementsOf(both.stream()
                .filter(letter -> letter.from().equals(Addresses.REQUESTS)).map(DeadLetterQueue.DeadLetter::id).toList());
        assertThat(dead.drop("")).hasSize(2);
        assertThat(dead.list(null)).isEmpty();
    }

    private static List<DeadLetterQueue.DeadLetter> awaitDead(DeadLetterQueue dead, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        List<DeadLetterQueue.DeadLetter> letters = dead.list(null);
        while (letters.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            letters = dead.list(null);
        }
        return letters;
    }
}
