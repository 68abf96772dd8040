package io.outpost.brokerclient;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A site's {@link Addresses#DEAD} queue as an operator works it: what is there and why, put back on the queue a
 * message came from once its cause is fixed, or dropped. {@code reason} filters by a piece of the reason
 * (null or empty for every message).
 */
public final class DeadLetterQueue {
    private final BrokerAccess broker;

    public DeadLetterQueue(BrokerAccess broker) {
        this.broker = broker;
    }

    /**
     * One dead letter: its broker id, when it was dead-lettered, the queue it came from ("" when not recorded), its type,
     * the kind of failure (one of {@link DeadLetters#KINDS}, "" when an earlier build dead-lettered it) and why.
     */
    public record DeadLetter(String id, Instant at, String from, String type, String kind, String reason) {
    }

    public List<DeadLetter> list(String reason) throws JMSException {
        try (ActiveMQConnectionFactory factory = factory(); Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(Addresses.DEAD), selector(reason));
            List<DeadLetter> letters = new ArrayList<>();
            for (Enumeration<?> each = browser.getEnumeration(); each.hasMoreElements(); ) {
                letters.add(letter((Message) each.nextElement()));
            }
            return letters;
        }
    }

    /**
     * Puts each matching dead letter back on the queue it came from, as it was, in one transaction; those with no
     * queue recorded stay. Returns what was put back.
     */
    public List<DeadLetter> retry(String reason) throws JMSException {
        return take(reason, true);
    }

    /** Removes each matching dead letter; returns what was removed. */
    public List<DeadLetter> drop(String reason) throws JMSException {
        return take(reason, false);
    }

    private List<DeadLetter> take(String reason, boolean putBack) throws JMSException {
        List<DeadLetter> taken = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = factory(); Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            String selector = selector(reason);
            if (putBack) {
                selector = (selector == null ? "" : "(" + selector + ") AND ") + Addresses.DEAD_FROM + " IS NOT NULL";
            }
            MessageConsumer consumer = session.createConsumer(session.createQueue(Addresses.DEAD), selector);
            connection.start();
            for (Message message = consumer.receive(1000); message != null; message = consumer.receive(500)) {
                DeadLetter letter = letter(message);
                if (putBack) {
                    session.createProducer(session.createQueue(letter.from())).send(asItArrived(message));
                }
                taken.add(letter);
            }
            session.commit();
        }
        return taken;
    }

    /** The message as it arrived on its queue: the properties dead-lettering added, and the broker's own, are left out. */
    private static Message asItArrived(Message message) throws JMSException {
        Map<String, Object> kept = new LinkedHashMap<>();
        for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            boolean ours = !name.equals(Addresses.REJECT_REASON) && !name.equals(Addresses.DEAD_FROM) && !name.equals(Addresses.DEAD_KIND)
                    && !name.startsWith("_")
                    && (!name.startsWith("JMSX") || name.equals(Addresses.GROUP));
            if (ours) {
                kept.put(name, message.getObjectProperty(name));
            }
        }
        message.clearProperties();
        for (Map.Entry<String, Object> property : kept.entrySet()) {
            message.setObjectProperty(property.getKey(), property.getValue());
        }
        return message;
    }

    private static DeadLetter letter(Message message) throws JMSException {
        return new DeadLetter(message.getJMSMessageID(), Instant.ofEpochMilli(message.getJMSTimestamp()), text(message, Addresses.DEAD_FROM),
                text(message, Addresses.TYPE), text(message, Addresses.DEAD_KIND), text(message, Addresses.REJECT_REASON));
    }

    private static String text(Message message, String property) throws JMSException {
        String value = message.getStringProperty(property);
        return value == null ? "" : value;
    }

    /** A JMS selector on a piece of the reason, with LIKE's wildcards and quotes escaped. */
    static String selector(String reason) {
        if (reason == null || reason.isEmpty()) {
            return null;
        }
        String escaped = reason.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace("'", "''");
        return Addresses.REJECT_REASON + " LIKE '%" + escaped + "%' ESCAPE '!'";
    }

    private ActiveMQConnectionFactory factory() {
        return new ActiveMQConnectionFactory(broker.url() + (broker.url().contains("?") ? "&" : "?") + "reconnectAttempts=0", broker.user(),
                broker.password());
    }
}
