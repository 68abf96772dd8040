package io.outpost.broker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.BrokerAccess;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.data.DataDirectory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A site's broker over TCP: TLS only, a user per role and per tenant's workers, and each only where its work is. */
class SiteBrokerSecurityTest {
    @TempDir
    Path data;
    private SiteBroker broker;

    @BeforeEach
    void start() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        broker = SiteBroker.start("outpost", new DataDirectory(data).outpost(), port, List.of("blue", "green"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aWorkerMaySendRequestsAndReadReadyEventsButNotTouchTheLink() throws Exception {
        try (Connection worker = connect(broker.tcpAccess(BrokerRole.WORKER))) {
            Session session = worker.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue(Addresses.REQUESTS)).send(session.createBytesMessage());
            session.createConsumer(session.createTopic(Addresses.READY)).close();

            assertThatThrownBy(() -> session.createConsumer(session.createQueue(Addresses.LINK_OUTBOUND))).isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createProducer(session.createQueue(Addresses.LINK_INBOUND)).send(session.createBytesMessage()))
                    .isInstanceOf(JMSSecurityException.class);
        }
    }

    @Test
    void aTenantsWorkerMayUseItsOwnQueueAndTopicOnly() throws Exception {
        try (Connection blue = connect(broker.tcpAccess(BrokerRole.workerOf("blue")))) {
            Session session = blue.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue(Addresses.requests("blue"))).send(session.createBytesMessage());
            session.createConsumer(session.createTopic(Addresses.ready("blue"))).close();

            for (String otherQueue : List.of(Addresses.requests("green"), Addresses.REQUESTS)) {
                assertThatThrownBy(() -> session.createProducer(session.createQueue(otherQueue)).send(session.createBytesMessage()))
                        .as(otherQueue).isInstanceOf(JMSSecurityException.class);
            }
            for (String otherTopic : List.of(Addresses.ready("green"), Addresses.READY)) {
                assertThatThrownBy(() -> session.createConsumer(session.createTopic(otherTopic))).as(otherTopic).isInstanceOf(JMSSecurityException.class);
            }
        }
        try (Connection ownWorker = connect(broker.tcpAccess(BrokerRole.WORKER))) {
            Session session = ownWorker.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> session.createConsumer(session.createTopic(Addresses.ready("blue")))).isInstanceOf(JMSSecurityException.class);
        }
        assertThatThrownBy(() -> broker.tcpAccess(BrokerRole.workerOf("red"))).hasMessageContaining("no user 'worker-red'");
    }

    @Test
    void theLinkMayTakeWhatLeavesAndPutWhatArrivesButSendNoRequest() throws Exception {
        try (Connection link = connect(broker.tcpAccess(BrokerRole.LINK))) {
            Session session = link.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createQueue(Addresses.LINK_OUTBOUND)).close();
            session.createProducer(session.createQueue(Addresses.LINK_INBOUND)).send(session.createBytesMessage());

            assertThatThrownBy(() -> session.createProducer(session.createQueue(Addresses.REQUESTS)).send(session.createBytesMessage()))
                    .isInstanceOf(JMSSecurityException.class);
        }
    }

    @Test
    void aWrongPasswordOrAPlainTextConnectionIsRefused() {
        BrokerAccess worker = broker.tcpAccess(BrokerRole.WORKER);
        assertThatThrownBy(() -> connect(new BrokerAccess(worker.url(), worker.user(), "guess"))).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect(new BrokerAccess(broker.tcpUrl() + "?reconnectAttempts=0&callTimeout=3000", worker.user(), worker.password())))
                .isInstanceOf(JMSException.class);
    }

    private static Connection connect(BrokerAccess access) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(access.url(), access.user(), access.password());
        Connection connection = factory.createConnection();
        connection.start();
        return connection;
    }
}
