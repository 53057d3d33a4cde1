package io.jobyard.application.service.hook;

import io.jobyard.application.port.out.HostResolver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The server-side request forgery rules of GitLab's {@code Gitlab::HTTP_V2::UrlBlocker} for webhooks: only http and
 * https, and unless the administrator allows local requests ({@code allow_local_requests_from_web_hooks_and_services}),
 * no address on this machine (loopback, unspecified), on a link-local network (169.254/16, fe80::/10, where cloud
 * metadata services live) or on a private network (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). A host name is
 * judged by every address it resolves to; the sender then connects only to those vetted addresses, so an answer that
 * changes between the check and the connection (DNS rebinding) cannot reach a local address.
 */
public final class UrlGuard {
    private final HostResolver resolver;

    public UrlGuard(HostResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** A refusal, with GitLab's wording of why. */
    public static final class BlockedUrlException extends RuntimeException {
        public BlockedUrlException(String message) {
            super(message);
        }
    }

    /**
     * The URL if it is one a hook may have: absolute http or https with a host, no spaces.
     *
     * @throws BlockedUrlException otherwise
     */
    public static URI parse(String url) {
        if (url == null || url.isBlank() || url.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new BlockedUrlException("Only allowed schemes are http, https");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new BlockedUrlException("URI is invalid");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new BlockedUrlException("Only allowed schemes are http, https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new BlockedUrlException("URI is invalid");
        }
        if (uri.getPort() > 65535) {
            throw new BlockedUrlException("URI is invalid");
        }
        return uri;
    }

    /**
     * The addresses {@code url}'s host resolves to, each one allowed.
     *
     * @throws BlockedUrlException when the host does not resolve or one of its addresses is not allowed
     */
    public List<InetAddress> vet(URI url, boolean allowLocal) {
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException | RuntimeException e) {
            throw new BlockedUrlException("Host cannot be resolved or invalid");
        }
        if (addresses.isEmpty()) {
            throw new BlockedUrlException("Host cannot be resolved or invalid");
        }
        if (!allowLocal) {
            for (InetAddress address : addresses) {
                refusal(address).ifPresent(reason -> {
                    throw new BlockedUrlException(reason);
                });
            }
        }
        return addresses;
    }

    /** Why a request to {@code address} is refused when local requests are not allowed, if it is. */
    static Optional<String> refusal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return Optional.of("Requests to localhost are not allowed");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("Requests to the link local network are not allowed");
        }
        if (address.isSiteLocalAddress() || sharedOrUniqueLocal(address)) {
            return Optional.of("Requests to the local network are not allowed");
        }
        if (address instanceof Inet6Address v6 && mappedV4(v6).isPresent()) {
            return refusal(mappedV4(v6).get());
        }
        return Optional.empty();
    }

    /** 100.64.0.0/10 (carrier-grade NAT) and fc00::/7 (unique local IPv6), which Java does not call site-local. */
    private static boolean sharedOrUniqueLocal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        }
        return (b[0] & 0xfe) == 0xfc;
    }

    /** The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}) or NAT64 ({@code 64:ff9b::/96}) address. */
    private static Optional<InetAddress> mappedV4(Inet6Address address) {
        byte[] b = address.getAddress();
        boolean compatible = true;
        for (int i = 0; i < 12; i++) {
            compatible &= b[i] == 0;
        }
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b;
        for (int i = 4; i < 12 && nat64; i++) {
            nat64 = b[i] == 0;
        }
        if (!compatible && !nat64) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
