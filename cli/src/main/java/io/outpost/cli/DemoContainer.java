package io.outpost.cli;

import io.outpost.txrxsim.origin.DemoOrigin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The container engine that runs the demo's release at the outpost, and where the release's web server listens: the
 * config's {@code var.container_engine} and {@code var.web_listen}. The worker's terraform starts the container; the
 * demo fetches its page for the summary and removes the container when it stops.
 *
 * @param engine {@code podman} or {@code docker}, as found on PATH
 * @param listen {@code 127.0.0.1:PORT}
 */
public record DemoContainer(String engine, String listen) {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    /** The engines the demo looks for, in order, when told {@code auto}. */
    private static final java.util.List<String> ENGINES = java.util.List.of("podman", "docker");

    /**
     * @param choice {@code auto} (the first of podman and docker on PATH), {@code none}, or an engine's name
     * @return empty for none, or when {@code auto} finds no engine
     */
    public static Optional<DemoContainer> of(String choice, int port) {
        if ("none".equals(choice)) {
            return Optional.empty();
        }
        if ("auto".equals(choice)) {
            return ENGINES.stream().filter(name -> ExecutableOnPath.find(name).isPresent()).findFirst().map(name -> new DemoContainer(name, "127.0.0.1:" + port));
        }
        if (ExecutableOnPath.find(choice).isEmpty()) {
            throw new IllegalArgumentException("--container-engine " + choice + ": no '" + choice + "' on PATH (install it, or use auto or none)");
        }
        return Optional.of(new DemoContainer(choice, "127.0.0.1:" + port));
    }

    /** The config's input variables that make the worker's terraform run the release. */
    public Map<String, String> variables() {
        return Map.of(DemoOrigin.ENGINE_VARIABLE, engine, DemoOrigin.LISTEN_VARIABLE, listen);
    }

    public URI page() {
        return URI.create("http://" + listen + "/");
    }

    /** The running release's page as text, or why it cannot be had. */
    public String fetchPage() {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(PATIENCE).build()
                    .send(HttpRequest.newBuilder(page()).timeout(PATIENCE).GET().build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body().replaceAll("<[^>]*>", "").strip();
            return response.statusCode() == 200 ? text : "HTTP " + response.statusCode() + " " + text;
        } catch (IOException e) {
            return "no answer (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Stops and removes the release's container, if one runs; the demo leaves nothing running on the machine. */
    public void remove() {
        try {
            Process rm = new ProcessBuilder(engine, "rm", "-f", DemoOrigin.CONTAINER).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!rm.waitFor(30, TimeUnit.SECONDS)) {
                rm.destroyForcibly();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot remove the demo's container with " + engine, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
