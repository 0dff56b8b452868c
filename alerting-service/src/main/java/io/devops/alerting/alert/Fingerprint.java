package io.devops.alerting.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert's identity: a hash of its identifying labels, whatever their order, as Alertmanager
 * computes one. Two firings with the same labels are the same alert.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String of(Map<String, String> labels) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            // Separators that cannot occur in a label name keep {a=b, c=d} apart from {a=b\nc=d}.
            sha256.update(label.getKey().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0xff);
            sha256.update(label.getValue().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0xfe);
        }
        return HexFormat.of().formatHex(sha256.digest(), 0, 8);
    }
}
