package io.outpost.cli;

import io.outpost.brokerclient.BrokerAccess;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.DeadLetterQueue;
import io.outpost.data.DataDirectory;
import io.outpost.protocol.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The dead letters of a site's broker: list them, put them back where they came from, or drop them. */
@Command(name = "dead", mixinStandardHelpOptions = true,
        description = {"Work a site's dead-letter queue: what could not be processed, and why.",
                "list: each dead letter (when, the queue it came from, its type, the reason), then a count by kind.",
                "retry: put each back on the queue it came from, once its cause is fixed (one transaction).",
                "drop: remove each for good.",
                "--reason keeps those whose reason contains the text; retry and drop need it, or --all."})
final class DeadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ACTION", description = "list, retry or drop.")
    String action;

    @Option(names = "--reason", description = "Only the dead letters whose reason contains this text.")
    String reason;

    @Option(names = "--all", description = "retry or drop every dead letter.")
    boolean all;

    @Option(names = "--site", defaultValue = "outpost", description = "Whose broker: outpost or upstream (default: ${DEFAULT-VALUE}).")
    String site;

    @Option(names = "--json", description = "list as JSON, for scripts.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Mixin
    OutpostBrokerOption broker;

    @Override
    public Integer call() throws Exception {
        if (!List.of("outpost", "upstream").contains(site)) {
            throw new IllegalArgumentException("--site is outpost or upstream, not '" + site + "'");
        }
        if (!action.equals("list") && (reason == null || reason.isEmpty()) && !all) {
            throw new IllegalArgumentException("dead " + action + " takes --reason TEXT (those whose reason contains it) or --all");
        }
        DataDirectory data = new DataDirectory(common.data);
        BrokerAccess access = BrokerAccess.of(broker.url, BrokerRole.OPERATOR.user(), broker.password, site.equals("outpost") ? data.outpost() : data.upstream())
                .as(broker.user);
        DeadLetterQueue dead = new DeadLetterQueue(access);
        return switch (action) {
            case "list" -> list(dead.list(reason));
            case "retry" -> report("put back", dead.retry(reason), dead.list(reason));
            case "drop" -> report("dropped", dead.drop(reason), List.of());
            default -> throw new IllegalArgumentException("unknown action '" + action + "': list, retry or drop");
        };
    }

    private int list(List<DeadLetterQueue.DeadLetter> letters) throws Exception {
        if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(letters));
            return 0;
        }
        Map<String, Integer> byKind = new TreeMap<>();
        for (DeadLetterQueue.DeadLetter letter : letters) {
            System.out.printf("%s  from %s  %s  %s%n", letter.at(), letter.from().isEmpty() ? "(not recorded)" : letter.from(),
                    letter.type().isEmpty() ? "-" : letter.type(), letter.reason());
            byKind.merge(letter.kind().isEmpty() ? "(kind not recorded)" : letter.kind(), 1, Integer::sum);
        }
        System.out.println(letters.size() + " dead letters" + (reason == null ? "" : " whose reason contains '" + reason + "'")
                + (byKind.isEmpty() ? "" : ": " + byKind));
        return 0;
    }

    private static int report(String what, List<DeadLetterQueue.DeadLetter> done, List<DeadLetterQueue.DeadLetter> left) {
        done.forEach(letter -> System.out.printf("%s %s %s (%s)%n", what, letter.type().isEmpty() ? "message" : letter.type(),
                letter.from().isEmpty() ? "" : "to " + letter.from(), letter.reason()));
        System.out.println(done.size() + " " + what + (left.isEmpty() ? "" : "; " + left.size()
                + " stay: the queue they came from is not recorded (dead-lettered by an earlier build): drop them, or send them by hand"));
        return left.isEmpty() ? 0 : 1;
    }
}
