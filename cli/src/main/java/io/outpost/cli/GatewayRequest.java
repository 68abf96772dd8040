package io.outpost.cli;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.BrokerAccess;
import io.outpost.iacworker.GatewayClient;
import io.outpost.iacworker.IacWorker;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Messages;
import io.outpost.protocol.Ready;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * One operator request to a running outpost gateway over its broker: listens for the gateway's ready
 * events first, then sends the request, and returns the event that answers it.
 */
final class GatewayRequest {
    private GatewayRequest() {
    }

    /** @param tenant whose request queue and ready topic to use ({@link io.outpost.content.Tenants#OUTPOST} for the outpost's own) */
    static Ready send(BrokerAccess broker, String outpost, String tenant, Duration wait, Function<GatewayClient, CompletableFuture<Ready>> request)
            throws Exception {
        EnvelopeCodec codec = new EnvelopeCodec(IacWorker.MAX_MESSAGE_BYTES);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url() + (broker.url().contains("?") ? "&" : "?") + "reconnectAttempts=0",
                broker.user(), broker.password());
        try (factory; Connection connection = connect(factory, broker)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer events = session.createConsumer(session.createTopic(Addresses.ready(tenant)));
            MessageProducer requests = session.createProducer(session.createQueue(Addresses.requests(tenant)));
            GatewayClient client = new GatewayClient((frame, properties) -> send(session, requests, frame, properties), codec, outpost,
                    Clock.systemUTC());
            connection.start();
            CompletableFuture<Ready> answer = request.apply(client);
            long deadline = System.nanoTime() + wait.toNanos();
            while (!answer.isDone()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                Message event = left > 0 ? events.receive(left) : null;
                if (event == null) {
                    throw new TimeoutException("the outpost gateway at " + broker + " did not answer within " + wait.toSeconds() + "s");
                }
                BytesMessage bytes = (BytesMessage) event;
                byte[] frame = new byte[(int) bytes.getBodyLength()];
                bytes.readBytes(frame);
                client.complete(Messages.read(codec.decode(frame), Ready.class));
            }
            return answer.get();
        }
    }

    private static Connection connect(ActiveMQConnectionFactory factory, BrokerAccess broker) {
        try {
            return factory.createConnection();
        } catch (JMSException e) {
            throw new IllegalStateException("cannot reach the outpost broker at " + broker + " (is the outpost gateway running?): " + e.getMessage(), e);
        }
    }

    private static void send(Session session, MessageProducer requests, byte[] frame, Map<String, Object> properties) {
        try {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(frame);
            for (Map.Entry<String, Object> property : properties.entrySet()) {
                message.setObjectProperty(property.getKey(), property.getValue());
            }
            requests.send(message);
        } catch (JMSException e) {
            throw new IllegalStateException("cannot send to the outpost gateway's request queue: " + e.getMessage(), e);
        }
    }
}
