package io.outpost.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a test started and left running: clients still connected to its brokers, child processes, threads that would
 * keep the JVM alive. Taken before the test, checked after, each given a few seconds to go; what stays fails the test,
 * so that one journey's clients cannot reconnect into the next one's (as they did, into a deleted data directory).
 */
final class LeftBehind {
    private static final long PATIENCE_MILLIS = 10_000;
    /** Thread pools Artemis keeps for the whole JVM (its in-VM connector's, its clients' global ones): the first test to connect starts them. */
    private static final List<String> JVM_WIDE_POOLS = List.of("in-v-m-connector", "ActiveMQ-client-global");

    private final Set<Long> processesBefore = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    private final Set<Long> threadsBefore = Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());

    /** Clients still connected to {@code broker} once they have had a few seconds to close. */
    static List<String> clientsOf(String site, SiteBroker broker) {
        return settled(() -> broker.clients().stream().map(client -> site + " broker client " + client).toList());
    }

    /** Child processes and non-daemon threads started since this was made and still there after a few seconds. */
    List<String> processesAndThreads() {
        return settled(() -> {
            List<String> left = new ArrayList<>();
            ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(process -> !processesBefore.contains(process.pid()))
                    .forEach(process -> left.add("child process " + process.pid() + " " + process.info().commandLine().orElse("")));
            Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.isAlive() && !thread.isDaemon() && !threadsBefore.contains(thread.getId()))
                    .filter(thread -> JVM_WIDE_POOLS.stream().noneMatch(thread.getName()::contains))
                    .forEach(thread -> left.add("thread '" + thread.getName() + "'"));
            return left;
        });
    }

    private static List<String> settled(Supplier<List<String>> left) {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        List<String> now = left.get();
        while (!now.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = left.get();
        }
        return now;
    }
}
