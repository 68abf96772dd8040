package io.outpost.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How requests to one registry are authorized, as the distribution spec's token auth has it: the registry's first
 * {@code 401} names a scheme; for {@code Bearer}, a token for the request's scope is fetched from the challenge's
 * realm (with the registry's login as basic auth, or anonymously), kept until shortly before it expires and fetched
 * again when the registry refuses it; for {@code Basic}, the login is sent. After the first challenge every request
 * carries its authorization from the start, so a pull costs no extra round trip per request.
 */
final class RegistryAuth {
    /** The default lifetime of a token that does not say ({@code expires_in}), per the spec. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final RegistryEndpoint endpoint;
    private final RegistryCredentials credentials;
    private final HttpClient http;
    private final Clock clock;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile Challenge challenge;

    RegistryAuth(RegistryEndpoint endpoint, RegistryCredentials credentials, HttpClient http, Clock clock) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.http = http;
        this.clock = clock;
    }

    /** What the registry asked for when it refused a request without (or with stale) authorization. */
    record Challenge(String scheme, Map<String, String> parameters) {
        static Optional<Challenge> parse(List<String> headers) {
            return headers.stream().map(Challenge::parse).flatMap(Optional::stream)
                    .min((a, b) -> Boolean.compare(!a.bearer(), !b.bearer()));
        }

        private static Optional<Challenge> parse(String header) {
            String[] parts = header.strip().split("\\s+", 2);
            if (parts[0].isEmpty()) {
                return Optional.empty();
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            Matcher matcher = PARAMETER.matcher(parts.length > 1 ? parts[1] : "");
            while (matcher.find()) {
                parameters.put(matcher.group(1).toLowerCase(java.util.Locale.ROOT), matcher.group(2));
            }
            return Optional.of(new Challenge(parts[0], parameters));
        }

        boolean bearer() {
            return scheme.equalsIgnoreCase("Bearer");
        }
    }

    private record Token(String value, Instant renewAt) {
    }

    /** The authorization for a request needing {@code scopes} (e.g. {@code repository:team/web:pull}), if the registry asked for one. */
    Optional<String> header(List<String> scopes) {
        Challenge asked = challenge;
        if (asked == null) {
            return Optional.empty();
        }
        if (!asked.bearer()) {
            return login().map(RegistryAuth::basic);
        }
        String key = String.join(" ", scopes);
        Token token = tokens.get(key);
        if (token == null || !clock.instant().isBefore(token.renewAt())) {
            token = fetch(asked, scopes);
            tokens.put(key, token);
        }
        return Optional.of("Bearer " + token.value());
    }

    /**
     * The registry answered {@code 401} to a request for {@code scopes} that carried {@code sent} (null for none):
     * remembers its challenge and forgets a token it refused. True when asking again may succeed: nothing was sent
     * and the registry names a scheme Outpost can answer, or a bearer token was refused (expired early, or the token
     * server's key rotated: a new one is fetched); false when a login was refused or there is no login to send.
     */
    boolean challenged(List<String> wwwAuthenticate, List<String> scopes, String sent) {
        Challenge asked = Challenge.parse(wwwAuthenticate).orElse(null);
        if (asked == null) {
            return false;
        }
        challenge = asked;
        tokens.remove(String.join(" ", scopes));
        if (sent != null) {
            return sent.startsWith("Bearer ") && asked.bearer();
        }
        return asked.bearer() || login().isPresent();
    }

    /** True when the registry's refusal says the token lacked the scope: the login may not do that (forbidden), as opposed to an unknown one. */
    static boolean insufficientScope(List<String> wwwAuthenticate) {
        return Challenge.parse(wwwAuthenticate).map(asked -> "insufficient_scope".equals(asked.parameters().get("error"))).orElse(false);
    }

    /** Who the requests go as, for messages: a login and where it came from, or anonymous. */
    String who() {
        return login().map(Object::toString).orElse("anonymously (no login for " + endpoint.address() + " in any credential source)");
    }

    boolean loggedIn() {
        return login().isPresent();
    }

    private Optional<RegistryCredentials.Login> login() {
        return endpoint.urlLogin().or(() -> credentials.loginFor(endpoint.address()));
    }

    private Token fetch(Challenge asked, List<String> scopes) {
        String realm = asked.parameters().get("realm");
        if (realm == null) {
            throw new RegistryException(endpoint.address() + " asked for a bearer token but named no realm to get it from", 401);
        }
        StringBuilder query = new StringBuilder();
        Optional.ofNullable(asked.parameters().get("service")).ifPresent(service -> query.append("&service=").append(encode(service)));
        scopes.forEach(scope -> query.append("&scope=").append(encode(scope)));
        URI uri = URI.create(realm + (realm.contains("?") ? "" : "?") + query.substring(query.isEmpty() ? 0 : 1));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).GET();
        Optional<RegistryCredentials.Login> login = login();
        login.ifPresent(found -> request.header("Authorization", basic(found)));
        Instant asking = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryException("the token server " + realm + " of " + endpoint.address() + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted asking " + realm + " for a token", e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new RegistryException("the token server " + realm + " refused " + String.join(" ", scopes) + " to "
                    + who() + ": HTTP " + response.statusCode() + RegistryErrors.detail(response.body()), response.statusCode());
        }
        if (response.statusCode() != 200) {
            throw new RegistryException("the token server " + realm + " answered HTTP " + response.statusCode() + RegistryErrors.detail(response.body()),
                    response.statusCode() == 429 ? 429 : 503);
        }
        try {
            JsonNode body = Json.MAPPER.readTree(response.body());
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new RegistryException("the token server " + realm + " answered without a token", 503);
            }
            Duration lifetime = body.has("expires_in") ? Duration.ofSeconds(Math.max(1, body.path("expires_in").asLong())) : DEFAULT_LIFETIME;
            // renewed at nine tenths of its life, so a request does not set out with a token about to expire
            return new Token(token, asking.plus(lifetime.multipliedBy(9).dividedBy(10)));
        } catch (IOException e) {
            throw new RegistryException("the token server " + realm + " answered something that is not JSON: " + e.getMessage(), e);
        }
    }

    private static String basic(RegistryCredentials.Login login) {
        return "Basic " + Base64.getEncoder().encodeToString((login.user() + ":" + login.secret()).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
