package io.outpost.journeys;

import io.outpost.events.OperatorEvent;
import io.outpost.events.OperatorEvents;
import io.outpost.gateway.outpost.AnswerReceived;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The operator events a role emitted, kept typed for assertions and echoed (named) to the test's output. */
final class RecordedEvents implements OperatorEvents {
    private final String name;
    private final PrintStream echo;
    private final List<OperatorEvent> events = new CopyOnWriteArrayList<>();

    RecordedEvents(String name) {
        this.name = name;
        this.echo = System.out;
    }

    @Override
    public void emit(OperatorEvent event) {
        events.add(event);
        echo.println(name + ": " + event.line());
    }

    int size() {
        return events.size();
    }

    /** Answers of {@code type} (a message type) the gateway applied, of subjects starting with {@code subject}. */
    List<AnswerReceived> applied(String type, String subject) {
        return events.stream().map(OperatorEvent::unwrapped).filter(AnswerReceived.class::isInstance).map(AnswerReceived.class::cast)
                .filter(answer -> answer.type().equals(type) && answer.subject().startsWith(subject) && answer.outcome() == AnswerReceived.Outcome.APPLIED)
                .toList();
    }

    /** The events of {@code type} emitted so far. */
    <T extends OperatorEvent> List<T> of(Class<T> type) {
        return events.stream().map(OperatorEvent::unwrapped).filter(type::isInstance).map(type::cast).toList();
    }

    List<AnswerReceived> applied(String type) {
        return applied(type, "");
    }
}
