package io.outpost.broker;

import io.outpost.data.DurableFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A site's own certificate authority, under {@code DATA/<site>/tls/}: created on first start, then kept.
 * It issues the certificates of the site's TLS endpoints; clients trust {@code ca.pem}. Outpost never
 * uses a public certificate at the outpost, and these are issued for decades, because a certificate
 * expiring while the link is down must not stop the outpost.
 */
public final class InternalCa {
    public static final String CERTIFICATE_FILE = "ca.pem";
    private static final String KEY_FILE = "ca-key.pem";
    private static final Duration CA_VALIDITY = Duration.ofDays(365L * 30);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(365L * 20);

    private final Path dir;
    private final X509Certificate certificate;
    private final PrivateKey key;
    private final Clock clock;

    private InternalCa(Path dir, X509Certificate certificate, PrivateKey key, Clock clock) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
        this.clock = clock;
    }

    /** The CA in {@code dir}, created there with {@code name} when it does not exist yet. */
    public static InternalCa loadOrCreate(Path dir, String name, Clock clock) {
        Path certificateFile = dir.resolve(CERTIFICATE_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        try {
            return DurableFiles.exclusively(dir, () -> loadOrCreate(dir, name, clock, certificateFile, keyFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or read the internal CA in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the internal CA: " + e.getMessage(), e);
        }
    }

    private static InternalCa loadOrCreate(Path dir, String name, Clock clock, Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            return new InternalCa(dir, readCertificate(Files.readString(certificateFile)), readKey(Files.readString(keyFile)), clock);
        }
        Files.createDirectories(dir);
        KeyPair pair = newKeyPair();
        X500Name subject = new X500Name("CN=" + name + " internal CA,O=Outpost");
        Instant now = clock.instant();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
        X509Certificate certificate = sign(builder, pair.getPrivate());
        // only this site's user may enter the directory that holds the key
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        // the key first: a certificate without its key would be useless on the next start
        DurableFiles.writeSecret(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()).getBytes(StandardCharsets.US_ASCII));
        DurableFiles.writeAtomically(certificateFile, pem(certificate).getBytes(StandardCharsets.US_ASCII));
        return new InternalCa(dir, certificate, pair.getPrivate(), clock);
    }

    /** The CA certificate in PEM, for clients' trust ({@code SSL_CERT_FILE} for terraform). */
    public Path certificateFile() {
        return dir.resolve(CERTIFICATE_FILE);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A server context for a new certificate for {@code hosts} (DNS names, or IP addresses such as
     * 127.0.0.1), issued by this CA; servers get a fresh one at every start.
     */
    public SSLContext serverContext(List<String> hosts) {
        try {
            char[] password = new char[0];
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(serverKeyStore(hosts, password), password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a server certificate for " + hosts + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #serverContext}, as a PKCS#12 file for servers that read their key from a file (the
     * broker's TLS acceptor), readable by its owner only.
     */
    public void writeServerKeyStore(List<String> hosts, Path file, char[] password) {
        store(serverKeyStore(hosts, password), file, password);
    }

    /** A PKCS#12 trust store holding this CA's certificate only, for clients that read trust from a file. */
    public void writeTrustStore(Path file, char[] password) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate);
            store(trust, file, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write a trust store for the internal CA: " + e.getMessage(), e);
        }
    }

    private KeyStore serverKeyStore(List<String> hosts, char[] password) {
        try {
            KeyPair pair = newKeyPair();
            Instant now = clock.instant();
            List<GeneralName> names = new ArrayList<>();
            hosts.forEach(host -> names.add(new GeneralName(host.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, host)));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(SERVER_VALIDITY)), new X500Name("CN=" + hosts.get(0) + ",O=Outpost"), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            X509Certificate server = sign(builder, key);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", pair.getPrivate(), password, new X509Certificate[] {server, certificate});
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a server certificate for " + hosts + ": " + e.getMessage(), e);
        }
    }

    private static void store(KeyStore store, Path file, char[] password) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            store.store(bytes, password);
            DurableFiles.writeSecret(file, bytes.toByteArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A client context that trusts this CA and nothing else. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the internal CA: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(128, new SecureRandom());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    /** Writes PEM: certificates as CERTIFICATE, the key as PKCS#8 PRIVATE KEY (what {@link #readKey} reads back). */
    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static X509Certificate readCertificate(String pem) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) parser.readObject());
        }
    }

    private static PrivateKey readKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }
}
