package io.outpost.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.protocol.Json;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, showing one page; {@link #text} reads an element's text through the
 * DevTools protocol, as a person looking at the page would see it.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Process process;
    private final AtomicInteger ids = new AtomicInteger();
    private volatile CompletableFuture<JsonNode> answer;
    private WebSocket devtools;

    private HeadlessChromium(Process process) {
        this.process = process;
    }

    static HeadlessChromium open(String url, Path profile) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // the flags keep Chromium off the network beyond the page (this machine has none) and need no display
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + Files.createDirectories(profile),
                "--remote-debugging-port=" + port, "--window-size=1280,1000", url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        HttpClient http = HttpClient.newHttpClient();
        JsonNode pages = null;
        long deadline = System.currentTimeMillis() + 30_000;
        while (pages == null) {
            try {
                pages = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            } catch (java.io.IOException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("Chromium did not open its DevTools port", notYet);
                }
                Thread.sleep(200);
            }
        }
        String socket = null;
        for (JsonNode page : pages) {
            if (page.path("type").asText().equals("page")) {
                socket = page.path("webSocketDebuggerUrl").asText();
            }
        }
        HeadlessChromium chromium = new HeadlessChromium(process);
        chromium.devtools = http.newWebSocketBuilder().buildAsync(URI.create(socket), chromium.listener()).get(10, TimeUnit.SECONDS);
        return chromium;
    }

    private WebSocket.Listener listener() {
        StringBuilder partial = new StringBuilder();
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        JsonNode message = Json.MAPPER.readTree(partial.toString());
                        CompletableFuture<JsonNode> waiting = answer;
                        if (message.has("id") && waiting != null) {
                            waiting.complete(message);
                        }
                    } catch (java.io.IOException e) {
                        // not a DevTools answer
                    }
                    partial.setLength(0);
                }
                socket.request(1);
                return null;
            }
        };
    }

    /** The text of the element with {@code id}, or "" when there is none yet. */
    synchronized String text(String id) throws Exception {
        answer = new CompletableFuture<>();
        ObjectNode call = Json.MAPPER.createObjectNode().put("id", ids.incrementAndGet()).put("method", "Runtime.evaluate");
        call.putObject("params").put("returnByValue", true)
                .put("expression", "(document.getElementById('" + id + "') || {textContent: ''}).textContent");
        devtools.sendText(Json.MAPPER.writeValueAsString(call), true).get(10, TimeUnit.SECONDS);
        return answer.get(10, TimeUnit.SECONDS).path("result").path("result").path("value").asText();
    }

    List<String> texts(String... ids) throws Exception {
        List<String> values = new java.util.ArrayList<>();
        for (String id : ids) {
            values.add(text(id));
        }
        return values;
    }

    @Override
    public void close() {
        if (devtools != null) {
            devtools.abort();
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
