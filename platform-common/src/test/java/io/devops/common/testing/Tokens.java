package io.devops.common.testing;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/**
 * Signs bearer tokens as an OIDC issuer would, with the test key pair in {@code testing/} (the
 * services' test profile verifies with {@code testing/publicKey.pem}). For tests only: the key is
 * public in this repository.
 */
public final class Tokens {
    public static final String ISSUER = "https://issuer.devops.test";
    private static final PrivateKey KEY = load();

    private Tokens() {
    }

    /** A token for {@code subject} with {@code groups} as its roles, valid for an hour. */
    public static String issue(String subject, String... groups) {
        return issue(subject, Instant.now().plus(Duration.ofHours(1)), groups);
    }

    public static String issue(String subject, Instant expiresAt, String... groups) {
        return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(groups)).issuedAt(Instant.now().minusSeconds(5))
                .expiresAt(expiresAt).sign(KEY);
    }

    /** A token signed with a key nobody trusts. */
    public static String forged(String subject, String... groups) {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(groups)).expiresIn(3600)
                    .sign(generator.generateKeyPair().getPrivate());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey load() {
        try {
            return KeyUtils.readPrivateKey("testing/privateKey.pem");
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test signing key testing/privateKey.pem", e);
        }
    }
}
