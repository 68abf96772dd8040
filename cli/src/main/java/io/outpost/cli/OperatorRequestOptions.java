package io.outpost.cli;

import io.outpost.brokerclient.BrokerRole;
import io.outpost.iacworker.GatewayClient;
import io.outpost.protocol.Ready;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;

/** What an operator's command needs to ask the running outpost gateway something over its broker. */
final class OperatorRequestOptions {
    @Mixin
    CommonOptions common;

    @Mixin
    OutpostBrokerOption broker;

    @Mixin
    OutpostNameOption outpost;

    /** Asks in {@code tenant}'s namespace, prints the gateway's answer about {@code subject}, and returns the exit code: 1 when it failed. */
    int ask(String tenant, String subject, Duration wait, Function<GatewayClient, CompletableFuture<Ready>> request) throws Exception {
        Ready answer = GatewayRequest.send(broker.access(BrokerRole.OPERATOR.user(), common.data), outpost.name, tenant, wait, request);
        String tips = answer.tips().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(tip -> tip.getKey() + " at " + tip.getValue().substring(0, Math.min(12, tip.getValue().length()))).collect(Collectors.joining(", "));
        System.out.println(subject + ": " + answer.status().name().toLowerCase(Locale.ROOT) + (tips.isEmpty() ? "" : ", " + tips)
                + (answer.message().isEmpty() ? "" : " (" + answer.message() + ")"));
        return answer.status() == Ready.Status.FAILED ? 1 : 0;
    }
}
