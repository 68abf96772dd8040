package io.outpost.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real kernel network path between this machine (the upstream site) and an outpost in a network namespace
 * of its own, through a router namespace that shapes it: bandwidth by the {@code tbf} qdisc each way, random
 * loss by nftables, and one-way delay by a packet delayer on a TUN device ({@code tun-delay.py}), so TCP
 * itself sees the round trip. Needs root, {@code ip}, {@code tc}, {@code nft} and python3 ({@link #missing} says what
 * is not there). For {@code bench --scenario real-link} and the journeys over a real path.
 * <pre>
 *   this machine 10.77.1.1 ── veth ── router (tun0: delay; tbf; nft loss) ── veth ── outpost namespace 10.77.2.2
 * </pre>
 */
public final class NetworkPath implements AutoCloseable {
    public static final String UPSTREAM_ADDRESS = "10.77.1.1";
    public static final String OUTPOST_ADDRESS = "10.77.2.2";
    private static final String ROUTER = "outpost-test-router";
    private static final String OUTPOST = "outpost-test-outpost";
    private static final String ROOT_SIDE = "op-up0";
    /** TCP's congestion control on the path, as an operator would choose it for a long fat pipe. */
    public static final String CONGESTION_CONTROL = "cubic";

    private final String rate;
    private final String burst;
    private Process delayer;

    private NetworkPath(String rate, long bitsPerSecond) {
        this.rate = rate;
        this.burst = Math.max(4_000, bitsPerSecond / 8 / 200) + "b";
    }

    /** Why a path cannot be made here, if it cannot. */
    public static Optional<String> missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("a real network path needs network namespaces, which need root");
        }
        for (String tool : List.of("/usr/bin/python3", "/usr/sbin/nft", "/usr/sbin/tc", "/usr/sbin/ip")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return Optional.of("a real network path needs " + tool + " (apt-get install -y iproute2 nftables python3)");
            }
        }
        return Optional.empty();
    }

    /**
     * Makes the path.
     *
     * @param bitsPerSecond the bandwidth each way
     */
    public static NetworkPath open(int oneWayDelayMillis, long bitsPerSecond, int lossPercent) throws IOException, InterruptedException {
        NetworkPath path = new NetworkPath(bitsPerSecond + "bit", bitsPerSecond);
        try {
            path.build(oneWayDelayMillis, lossPercent);
            return path;
        } catch (IOException | InterruptedException | RuntimeException e) {
            path.close();
            throw e;
        }
    }

    private void build(int oneWayDelayMillis, int lossPercent) throws IOException, InterruptedException {
        removeLeftovers();
        for (String ns : List.of(ROUTER, OUTPOST)) {
            run("ip", "netns", "add", ns);
            inNamespace(ns, "ip", "link", "set", "lo", "up");
        }
        run("ip", "link", "add", ROOT_SIDE, "type", "veth", "peer", "name", "vr-up", "netns", ROUTER);
        run("ip", "addr", "add", UPSTREAM_ADDRESS + "/24", "dev", ROOT_SIDE);
        run("ip", "link", "set", ROOT_SIDE, "up");
        inNamespace(ROUTER, "ip", "addr", "add", "10.77.1.2/24", "dev", "vr-up");
        inNamespace(ROUTER, "ip", "link", "set", "vr-up", "up");
        inNamespace(ROUTER, "ip", "link", "add", "vr-op", "type", "veth", "peer", "name", "op-o0", "netns", OUTPOST);
        inNamespace(ROUTER, "ip", "addr", "add", "10.77.2.1/24", "dev", "vr-op");
        inNamespace(ROUTER, "ip", "link", "set", "vr-op", "up");
        inNamespace(OUTPOST, "ip", "addr", "add", OUTPOST_ADDRESS + "/24", "dev", "op-o0");
        inNamespace(OUTPOST, "ip", "link", "set", "op-o0", "up");
        // cubic on the path's own routes, whatever this machine's default: BBR's round-trip probe every 10 s
        // idles a 600 ms path for a round trip, about 8 % of it (measured here with plain TCP: 0.83 against 0.92 x B)
        inNamespace(OUTPOST, "ip", "route", "add", "default", "via", "10.77.2.1", "congctl", CONGESTION_CONTROL);
        run("ip", "route", "add", "10.77.2.0/24", "via", "10.77.1.2", "congctl", CONGESTION_CONTROL);
        inNamespace(ROUTER, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
        startDelayer(oneWayDelayMillis);
        // what arrives on either veth goes through the delayer first; what it writes back is routed by destination
        inNamespace(ROUTER, "sysctl", "-qw", "net.ipv4.conf.tun0.rp_filter=0");
        inNamespace(ROUTER, "ip", "route", "add", "default", "dev", "tun0", "table", "100");
        inNamespace(ROUTER, "ip", "rule", "add", "iif", "vr-up", "lookup", "100");
        inNamespace(ROUTER, "ip", "rule", "add", "iif", "vr-op", "lookup", "100");
        for (String device : List.of("vr-up", "vr-op")) {
            shape("add", device);
        }
        if (lossPercent > 0) {
            inNamespace(ROUTER, "nft", "add", "table", "inet", "loss");
            inNamespace(ROUTER, "nft", "add", "chain", "inet", "loss", "forward", "{ type filter hook forward priority 0 ; }");
            // a packet is forwarded twice in the router, into the delayer and out of it: dropped only on the way out, so once
            inNamespace(ROUTER, "nft", "add", "rule", "inet", "loss", "forward", "iifname", "tun0", "meta", "l4proto", "{ tcp, udp }", "numgen",
                    "random", "mod", "100", "<", String.valueOf(lossPercent), "drop");
        }
    }

    /** The command line that runs {@code command} inside the outpost's namespace. */
    public List<String> atTheOutpost(List<String> command) {
        List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", OUTPOST));
        inside.addAll(command);
        return inside;
    }

    /** The path goes down (the router's link toward the outpost), as when a satellite pass ends. */
    public void cut() throws IOException, InterruptedException {
        inNamespace(ROUTER, "ip", "link", "set", "vr-op", "down");
    }

    public void restore() throws IOException, InterruptedException {
        inNamespace(ROUTER, "ip", "link", "set", "vr-op", "up");
        shape("replace", "vr-op");
    }

    /** The token bucket on {@code device}: its rate, a burst of 5 ms of it (at least 4 KB: a smaller one would not reach the rate), a 400 ms queue. */
    private void shape(String verb, String device) throws IOException, InterruptedException {
        inNamespace(ROUTER, "tc", "qdisc", verb, "dev", device, "root", "tbf", "rate", rate, "burst", burst, "latency", "400ms");
    }

    private void startDelayer(int oneWayDelayMillis) throws IOException, InterruptedException {
        Path script = Files.createTempFile("tun-delay", ".py");
        try (InputStream in = NetworkPath.class.getResourceAsStream("tun-delay.py")) {
            Files.write(script, in.readAllBytes());
        }
        delayer = new ProcessBuilder("ip", "netns", "exec", ROUTER, "python3", script.toString(), "tun0", String.valueOf(oneWayDelayMillis))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(delayer.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        if (!"ready".equals(ready)) {
            throw new IllegalStateException("the packet delayer did not start: " + ready);
        }
    }

    /** Removes the namespaces, the veth and the delayer; what cannot be removed is said, not thrown. */
    @Override
    public void close() {
        try {
            if (delayer != null) {
                delayer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            removeLeftovers();
        } catch (IOException e) {
            System.err.println("the test network path was not removed: " + e.getMessage() + " (ip netns delete " + OUTPOST + " " + ROUTER + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeLeftovers() throws IOException, InterruptedException {
        for (String ns : List.of(OUTPOST, ROUTER)) {
            quietly("ip", "netns", "delete", ns);
        }
        quietly("ip", "link", "delete", ROOT_SIDE);
    }

    private static void inNamespace(String ns, String... command) throws IOException, InterruptedException {
        List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        inside.addAll(List.of(command));
        run(inside.toArray(String[]::new));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    private static void quietly(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
