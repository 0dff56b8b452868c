package io.devops.common.security;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Remembers tokens whose signature and claims were verified, until they expire (at most five
 * minutes), so that a client sending the same token many times a second (heartbeats) pays for one
 * signature check, not one per request. A token is immutable and its signature cannot change, so
 * the answer cannot change either before it expires; tokens that fail are never remembered.
 */
@Decorator
@Priority(10)
public abstract class VerifiedTokenCache implements JWTParser {
    private static final int MAX_TOKENS = 10_000;
    private static final long MAX_AGE_SECONDS = Duration.ofMinutes(5).toSeconds();

    private record Verified(JsonWebToken token, long rememberUntilEpochSecond) {
    }

    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    @Inject
    @Delegate
    JWTParser delegate;

    @Override
    public JsonWebToken parse(String bearerToken) throws ParseException {
        long now = System.currentTimeMillis() / 1000;
        Verified known = verified.get(bearerToken);
        if (known != null && known.rememberUntilEpochSecond() > now) {
            return known.token();
        }
        JsonWebToken token = delegate.parse(bearerToken);
        if (verified.size() >= MAX_TOKENS) {
            verified.clear();
        }
        long expiry = token.getExpirationTime() > 0 ? token.getExpirationTime() : now;
        verified.put(bearerToken, new Verified(token, Math.min(expiry, now + MAX_AGE_SECONDS)));
        return token;
    }
}
