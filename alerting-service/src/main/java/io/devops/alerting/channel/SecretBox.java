package io.devops.alerting.channel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.devops.alerting.AlertingSettings;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Keeps channel secrets (webhook URLs, passwords, routing keys) encrypted at rest, with AES-256-GCM
 * under {@code alerting.secrets-key}: a database dump or a replica's disk shows none of them. A
 * stored value is {@code v1:} and the base64 of a random 12-byte nonce and the ciphertext with its
 * tag. Without a key, secrets are stored as plain JSON (with a warning at start); once a key is
 * set, the plain ones are sealed at the next start.
 */
@ApplicationScoped
public class SecretBox {
    private static final Logger LOG = Logger.getLogger(SecretBox.class);
    private static final String SEALED = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Optional<SecretKey> key;
    private final SecureRandom random = new SecureRandom();
    private final Pool pool;
    private final ChannelTable channels;

    SecretBox(AlertingSettings settings, Pool pool, ChannelTable channels) {
        this.key = settings.secretsKey().map(SecretBox::key);
        this.pool = pool;
        this.channels = channels;
    }

    /** The key from its base64 text; a wrong one stops the start, rather than sealing with something unexpected. */
    static SecretKey key(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("alerting.secrets-key is not base64", e);
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("alerting.secrets-key must be 32 bytes (256 bits), base64; it is " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    void start(@Observes StartupEvent started) {
        if (key.isEmpty()) {
            LOG.warn("channel secrets are stored unencrypted: set ALERTING_SECRETS_KEY (32 random bytes, base64) to seal them");
            return;
        }
        int sealed = sealPlain();
        if (sealed > 0) {
            LOG.infof("sealed the secrets of %d channel(s) stored before the key was set", sealed);
        }
    }

    /** What to store for the secrets' JSON. */
    public String seal(String json) {
        if (key.isEmpty()) {
            return json;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
            return SEALED + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }

    /** The secrets' JSON from what is stored. */
    public String open(String stored) {
        if (!stored.startsWith(SEALED)) {
            return stored;
        }
        if (key.isEmpty()) {
            throw new IllegalStateException("channel secrets are sealed but alerting.secrets-key is not set");
        }
        byte[] bytes = Base64.getDecoder().decode(stored.substring(SEALED.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("channel secrets cannot be opened with alerting.secrets-key (was the key changed?)",
                    e);
        }
    }

    /**
     * The secrets' JSON, or null when they cannot be opened (sealed under another key, or no key
     * set): the channel then fails its own deliveries and no other's.
     */
    public String openOrNull(String stored) {
        try {
            return open(stored);
        } catch (IllegalStateException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Seals the secrets stored in plain JSON (before a key was set); returns how many channels it sealed. */
    public int sealPlain() {
        int sealed = 0;
        for (Map.Entry<UUID, String> plain : channels.secretsNotLike(pool, SEALED + "%").await().atMost(Duration.ofSeconds(30))
                .entrySet()) {
            if (channels.replaceSecrets(pool, plain.getKey(), plain.getValue(), seal(plain.getValue())).await()
                    .atMost(Duration.ofSeconds(30))) {
                sealed++;
            }
        }
        return sealed;
    }
}
