package io.outpost.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token server as the distribution spec's token auth has it, for a registry configured with {@link #registryAuth()}:
 * {@code GET /token?service=S&scope=repository:NAME:ACTIONS} answers a JWT (ES256, its certificate in {@code x5c})
 * granting the asked actions the login may have. Users have a password and the actions they may take on every
 * repository; anonymous requests get {@code anonymousActions}. An honest fake at the edge: the registry verifies what it issues.
 */
public final class TokenServer implements AutoCloseable {
    public static final String SERVICE = "outpost-test-registry";
    private static final String ISSUER = "outpost-test-token-server";

    private record User(String password, Set<String> actions) {
    }

    private final HttpServer server;
    private final TestCertificate signing;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Set<String> anonymousActions;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicBoolean nextExpired = new AtomicBoolean();
    private volatile Duration lifetime = Duration.ofMinutes(5);

    private TokenServer(Path dir, Set<String> anonymousActions, TestCertificate tls) throws IOException {
        this.signing = TestCertificate.create(dir, "token-signing", null);
        this.anonymousActions = Set.copyOf(anonymousActions);
        if (tls == null) {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } else {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
            this.server = https;
        }
        server.createContext("/token", this::token);
        server.start();
    }

    /** @param anonymousActions what a request without a login may do (e.g. pull, for a public registry; none for a private one) */
    public static TokenServer start(Path dir, Set<String> anonymousActions) {
        return start(dir, anonymousActions, null);
    }

    /** @param tls the certificate it serves HTTPS with (as the registry it issues for does, from the same private CA), null for HTTP */
    public static TokenServer start(Path dir, Set<String> anonymousActions, TestCertificate tls) {
        try {
            return new TokenServer(dir, anonymousActions, tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TokenServer user(String name, String password, Set<String> actions) {
        users.put(name, new User(password, Set.copyOf(actions)));
        return this;
    }

    /** How long the tokens it issues from now on say they last ({@code expires_in}). */
    public void lifetime(Duration tokens) {
        lifetime = tokens;
    }

    /** The next token issued has expired already (past the registry's leeway) though it says it lasts: as a revoked or clock-skewed one. */
    public void nextTokenExpired() {
        nextExpired.set(true);
    }

    public int issued() {
        return issued.get();
    }

    /** The registry's {@code auth:} section that trusts this server. */
    public String registryAuth() {
        return """
                auth:
                  token:
                    realm: %s://127.0.0.1:%d/token
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(server instanceof HttpsServer ? "https" : "http", server.getAddress().getPort(), SERVICE, ISSUER, signing.certificateFile().toAbsolutePath());
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String account = null;
            Set<String> allowed = anonymousActions;
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null && authorization.startsWith("Basic ")) {
                String[] login = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8).split(":", 2);
                User user = users.get(login[0]);
                if (user == null || login.length < 2 || !user.password().equals(login[1])) {
                    answer(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid username or password\"}]}");
                    return;
                }
                account = login[0];
                allowed = user.actions();
            }
            List<String> scopes = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String parameter : query == null ? new String[0] : query.split("&")) {
                String[] pair = parameter.split("=", 2);
                if (pair[0].equals("scope") && pair.length == 2) {
                    scopes.addAll(List.of(URLDecoder.decode(pair[1], StandardCharsets.UTF_8).split(" ")));
                }
            }
            Instant now = Instant.now();
            Instant expires = nextExpired.getAndSet(false) ? now.minus(Duration.ofMinutes(5)) : now.plus(lifetime);
            ObjectNode claims = Json.MAPPER.createObjectNode().put("iss", ISSUER).put("sub", account == null ? "" : account).put("aud", SERVICE)
                    .put("exp", expires.getEpochSecond()).put("nbf", now.minus(Duration.ofMinutes(10)).getEpochSecond())
                    .put("iat", now.getEpochSecond()).put("jti", UUID.randomUUID().toString());
            ArrayNode access = claims.putArray("access");
            for (String scope : scopes) {
                String[] parts = scope.split(":");
                if (parts.length == 3) {
                    ArrayNode actions = access.addObject().put("type", parts[0]).put("name", parts[1]).putArray("actions");
                    for (String action : parts[2].split(",")) {
                        if (allowed.contains(action) || allowed.contains("*")) {
                            actions.add(action);
                        }
                    }
                }
            }
            String jwt = sign(claims);
            issued.incrementAndGet();
            answer(exchange, 200, Json.MAPPER.createObjectNode().put("token", jwt).put("access_token", jwt)
                    .put("expires_in", lifetime.toSeconds()).put("issued_at", now.toString()).toString());
        }
    }

    private String sign(ObjectNode claims) {
        try {
            ObjectNode header = Json.MAPPER.createObjectNode().put("typ", "JWT").put("alg", "ES256");
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(signing.certificate().getEncoded()));
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String signed = url.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                    + url.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
            // JWS wants the signature as R || S, not DER
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(signing.keys().getPrivate());
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + url.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
