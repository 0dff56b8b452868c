package io.devops.common.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Resolves a host name off the event loop, with a short cache, and refuses addresses in the
 * blocked networks (link-local, which holds the cloud metadata endpoint 169.254.169.254, and AWS's
 * IPv6 metadata address) unless configuration allows them. The caller then connects to the address
 * resolved here, so a second DNS answer cannot slip a blocked address in between. The health
 * checker guards its probes with it, alerting its webhooks: both reach addresses users typed in.
 */
public final class AddressGuard {
    /** The networks blocked unless configuration says otherwise. */
    public static final String DEFAULT_BLOCKED_NETWORKS = "169.254.0.0/16,fe80::/10,fd00:ec2::254/128";

    /** A failed lookup is remembered briefly, so a dead name costs one lookup per few seconds, not one per check. */
    private static final Duration FAILURE_TTL = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final List<Network> blocked;
    private final boolean allowBlocked;
    private final long ttlNanos;
    private final Map<String, Lookup> cache = new ConcurrentHashMap<>();

    public AddressGuard(Vertx vertx, List<String> blockedNetworks, boolean allowBlocked, Duration ttl) {
        this.vertx = vertx;
        this.blocked = blockedNetworks.stream().map(Network::parse).toList();
        this.allowBlocked = allowBlocked;
        this.ttlNanos = ttl.toNanos();
    }

    /** Thrown (as the future's failure) when a target resolves into a blocked network. */
    public static final class BlockedAddressException extends Exception {
        BlockedAddressException(String message) {
            super(message, null, false, false);
        }
    }

    /** The address to connect to; fails with {@link UnknownHostException} or {@link BlockedAddressException}. */
    public Future<InetAddress> resolve(String host) {
        Lookup cached = cache.get(host);
        if (cached != null && cached.expiresAt - System.nanoTime() > 0) {
            return cached.result;
        }
        Future<InetAddress> result = isLiteral(host)
                ? Future.succeededFuture().compose(ignored -> check(literal(host)))
                : vertx.<InetAddress[]>executeBlocking(() -> InetAddress.getAllByName(host), false).compose(this::check);
        result.onComplete(done -> cache.put(host, new Lookup(result, System.nanoTime()
                + (done.succeeded() || done.cause() instanceof BlockedAddressException ? ttlNanos : FAILURE_TTL.toNanos()))));
        return result;
    }

    private Future<InetAddress> check(InetAddress... addresses) {
        if (!allowBlocked) {
            for (InetAddress address : addresses) {
                for (Network network : blocked) {
                    if (network.contains(address)) {
                        return Future.failedFuture(new BlockedAddressException(
                                "address " + address.getHostAddress() + " is in blocked network " + network
                                        + " (cloud metadata and link-local addresses are never reached)"));
                    }
                }
            }
        }
        return Future.succeededFuture(addresses[0]);
    }

    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static InetAddress literal(String host) {
        try {
            // For an IP literal getByName parses and never asks DNS.
            return InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host, e);
        }
    }

    private record Lookup(Future<InetAddress> result, long expiresAt) {
    }

    /** An IPv4 or IPv6 network in CIDR notation. */
    record Network(BigInteger base, int prefix, int bits, String text) {
        static Network parse(String cidr) {
            String[] parts = cidr.trim().split("/");
            byte[] address = literal(parts[0]).getAddress();
            int bits = address.length * 8;
            int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : bits;
            return new Network(masked(new BigInteger(1, address), prefix, bits), prefix, bits, cidr.trim());
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            return bytes.length * 8 == bits && masked(new BigInteger(1, bytes), prefix, bits).equals(base);
        }

        private static BigInteger masked(BigInteger value, int prefix, int bits) {
            return value.shiftRight(bits - prefix);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
