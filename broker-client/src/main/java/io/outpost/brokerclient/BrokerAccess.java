package io.outpost.brokerclient;

import io.outpost.data.SiteData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a client reaches a site's broker: its URL (with TLS parameters for TCP) and the user it
 * connects as. On the site's own machine the password and the CA are read from the site's data
 * directory; elsewhere an operator copies them or passes them in.
 */
public record BrokerAccess(String url, String user, String password) {
    /** The trust store holds only the site's CA certificate: its password protects nothing secret. */
    public static final String TRUST_STORE_PASSWORD = "outpost-ca";

    public BrokerAccess {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Access to the broker of the site whose data directory is {@code siteData}, at {@code url}, as
     * {@code role}: a {@code tcp://} URL is given TLS trusting the site's CA unless it already says
     * how; {@code password} is read from the site's user files when null.
     */
    public static BrokerAccess of(String url, BrokerRole role, String password, SiteData siteData) {
        return of(url, role.user(), password, siteData);
    }

    /** The same, as {@code user}: a role's or a tenant's workers' ({@link BrokerRole#workerOf}). */
    public static BrokerAccess of(String url, String user, String password, SiteData siteData) {
        String secret = password != null ? password : readPassword(siteData, user);
        if (url.startsWith("tcp://") && !url.contains("sslEnabled")) {
            Path trust = siteData.brokerTrustStore();
            if (!Files.exists(trust)) {
                throw new IllegalStateException("no trust store for the broker's TLS at " + trust
                        + ": start the site's gateway once on this data directory, or give the URL its own sslEnabled/trustStore parameters");
            }
            url = url + (url.contains("?") ? "&" : "?") + "sslEnabled=true&trustStorePath=" + trust + "&trustStorePassword="
                    + TRUST_STORE_PASSWORD + "&trustStoreType=PKCS12";
        }
        return new BrokerAccess(url, user, secret);
    }

    /** The password of {@code user} on the broker of the site at {@code siteData}, as its broker created it. */
    public static String readPassword(SiteData siteData, String user) {
        Path file = siteData.brokerPassword(user);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the " + user + " password of the broker at " + file
                    + " (start the site's gateway once on this data directory, or pass the password): " + e.getMessage(), e);
        }
    }

    /** The same access as {@code otherUser}, when not null: an external broker has its operator's users. */
    public BrokerAccess as(String otherUser) {
        return otherUser == null ? this : new BrokerAccess(url, otherUser, password);
    }

    @Override
    public String toString() {
        return user + " at " + url.replaceAll("trustStorePassword=[^&]*", "trustStorePassword=***");
    }
}
