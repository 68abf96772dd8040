package io.outpost.link.network;

import io.outpost.link.trust.PublicKeyLine;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an outpost needs to join its upstream over a real network, as one line the upstream's operator
 * prints ({@code outpost keys join-line}) and the outpost's takes ({@code outpost keys join}):
 * {@code outpost-join/1 HOST:PORT sha256:CA_FINGERPRINT LINK_PASSWORD ed25519 KEY upstream}. The line holds the
 * link user's password: pass it as a secret.
 *
 * @param address where the upstream broker listens, {@code host:port}
 * @param caFingerprint sha256 of the upstream CA's certificate (DER), in hex: the only CA the outpost's link trusts
 * @param linkPassword the password of the {@code link} user on the upstream broker
 * @param upstreamKey the key the upstream signs its frames with
 */
public record JoinLine(String address, String caFingerprint, String linkPassword, PublicKeyLine upstreamKey) {
    private static final String FORMAT = "outpost-join/1";
    private static final Pattern LINE = Pattern.compile(Pattern.quote(FORMAT)
            + "\\s+(\\S+:[0-9]{1,5})\\s+sha256:([0-9a-f]{64})\\s+([A-Za-z0-9_-]{16,128})\\s+(ed25519\\s+\\S+\\s+\\S+)");

    public JoinLine {
        if (!address.matches("[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException("not an address HOST:PORT: '" + address + "'");
        }
    }

    public static JoinLine parse(String text) {
        Matcher line = LINE.matcher(text.trim());
        if (!line.matches()) {
            throw new IllegalArgumentException("not a join line (" + FORMAT + " HOST:PORT sha256:FINGERPRINT PASSWORD ed25519 KEY SITE, as "
                    + "'outpost keys join-line' prints it at the upstream): '" + text.trim().replaceAll("\\s(\\S{16,128})\\sed25519", " *** ed25519") + "'");
        }
        return new JoinLine(line.group(1), line.group(2), line.group(3), PublicKeyLine.parse(line.group(4)));
    }

    public String host() {
        return address.substring(0, address.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    @Override
    public String toString() {
        return FORMAT + " " + address + " sha256:" + caFingerprint + " " + linkPassword + " " + upstreamKey;
    }
}
