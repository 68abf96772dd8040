package io.outpost.link.network;

import io.outpost.brokerclient.BrokerAccess;
import io.outpost.data.DurableFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The outpost's trust in its upstream's broker, kept under {@code DATA/outpost/upstream-link/}: the upstream
 * CA, learnt once from the TLS handshake and accepted only if its fingerprint is the one the join line
 * names; the link user's password; the upstream's address. Afterwards the link trusts that CA and nothing else.
 */
public final class UpstreamTrust {
    private static final String TRUST_STORE = "ca-trust.p12";
    private static final String PASSWORD = "link.password";
    private static final String ADDRESS = "address";
    private final Path dir;

    public UpstreamTrust(Path dir) {
        this.dir = dir;
    }

    /** Connects to the join line's address, checks the CA it presents against the line's fingerprint, and keeps what the link needs. */
    public X509Certificate join(JoinLine line, Duration timeout) {
        X509Certificate ca = presentedCa(line, timeout);
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("upstream-ca", ca);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            trust.store(bytes, BrokerAccess.TRUST_STORE_PASSWORD.toCharArray());
            Files.createDirectories(dir);
            DurableFiles.writeAtomically(dir.resolve(TRUST_STORE), bytes.toByteArray());
            DurableFiles.writeSecret(dir.resolve(PASSWORD), line.linkPassword().getBytes(StandardCharsets.US_ASCII));
            DurableFiles.writeAtomically(dir.resolve(ADDRESS), line.address().getBytes(StandardCharsets.US_ASCII));
            return ca;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot keep the upstream's CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The upstream address the outpost joined, if it did. */
    public Optional<String> address() {
        return read(ADDRESS);
    }

    /** Access to the upstream broker at {@code address} as the {@code link} user, over TLS trusting only the joined CA, reconnecting forever. */
    public BrokerAccess access(String address, LinkWindow window) {
        String password = read(PASSWORD).orElseThrow(() -> new IllegalStateException("this outpost has not joined an upstream: run "
                + "'outpost keys join LINE' with the line 'outpost keys join-line' prints at the upstream"));
        return new BrokerAccess("tcp://" + address + "?sslEnabled=true&trustStorePath=" + dir.resolve(TRUST_STORE) + "&trustStorePassword="
                + BrokerAccess.TRUST_STORE_PASSWORD + "&trustStoreType=PKCS12" + window.connectionParameters(), "link", password);
    }

    private Optional<String> read(String file) {
        try {
            Path path = dir.resolve(file);
            return Files.exists(path) ? Optional.of(Files.readString(path, StandardCharsets.US_ASCII).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir.resolve(file) + ": " + e.getMessage(), e);
        }
    }

    /** The CA certificate at the end of the chain the upstream's broker presents, if its fingerprint is the expected one. */
    static X509Certificate presentedCa(JoinLine line, Duration timeout) {
        X509Certificate[][] chain = new X509Certificate[1][];
        TrustManager recording = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] certificates, String authType) {
                chain[0] = certificates;
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {recording}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(line.host(), line.port()), (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                socket.startHandshake();
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot reach the upstream broker at " + line.address() + " over TLS: " + e.getMessage()
                    + " (is the upstream gateway running with --listen on that address, and port " + line.port() + " open to this outpost?)", e);
        }
        X509Certificate[] presented = chain[0] == null ? new X509Certificate[0] : chain[0];
        for (X509Certificate certificate : presented) {
            if (fingerprint(certificate).equals(line.caFingerprint())) {
                return certificate;
            }
        }
        throw new IllegalStateException("the broker at " + line.address() + " presented no CA with fingerprint sha256:" + line.caFingerprint()
                + ": it is not the upstream that printed the join line (or the line is from another upstream); nothing was kept");
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot take a certificate's fingerprint: " + e.getMessage(), e);
        }
    }
}
