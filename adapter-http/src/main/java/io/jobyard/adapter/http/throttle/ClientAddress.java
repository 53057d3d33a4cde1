package io.jobyard.adapter.http.throttle;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a request comes from, for throttling: the socket's peer, unless that peer is a trusted proxy; then the
 * right-most address in {@code X-Forwarded-For} that is not a trusted proxy itself (what Rails' {@code remote_ip} does
 * with GitLab's {@code trusted_proxies}). Everything left of that address was written by the client and is not
 * believed; a request through trusted proxies only counts as the left-most of them. IPv6 clients are counted by their /64 network, which one host usually holds whole: per address, a client
 * could guess again from each of its 2^64 addresses.
 */
public final class ClientAddress {
    private final TrustedProxies trusted;

    public ClientAddress(TrustedProxies trusted) {
        this.trusted = Objects.requireNonNull(trusted, "trusted");
    }

    /** The key a client is counted under: its IPv4 address, or its IPv6 /64 network. */
    public String keyOf(HttpServerExchange exchange) {
        return key(of(exchange));
    }

    /** The client's address. */
    public InetAddress of(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        InetAddress address = peer == null ? null : peer.getAddress();
        if (address == null) {
            return InetAddress.getLoopbackAddress();
        }
        if (trusted.isEmpty() || !trusted.contains(address)) {
            return address;
        }
        // Right to left: each trusted proxy appended the address it was connected from.
        InetAddress hop = address;
        List<Optional<InetAddress>> forwarded = forwardedFor(exchange.getRequestHeaders().get("X-Forwarded-For"));
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            if (forwarded.get(i).isEmpty()) {
                // A trusted proxy wrote something that is no address: the nearest hop known is all one can say.
                return hop;
            }
            hop = forwarded.get(i).get();
            if (!trusted.contains(hop)) {
                return hop;
            }
        }
        return hop;
    }

    static String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16) {
            byte[] network = new byte[16];
            System.arraycopy(bytes, 0, network, 0, 8);
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return address.getHostAddress();
    }

    /** Every entry of every {@code X-Forwarded-For} header, in order; empty where an entry is no address. */
    private static List<Optional<InetAddress>> forwardedFor(HeaderValues headers) {
        List<Optional<InetAddress>> entries = new ArrayList<>();
        if (headers == null) {
            return entries;
        }
        for (String header : headers) {
            for (String part : header.split(",")) {
                entries.add(TrustedProxies.literal(withoutPort(part.trim())).map(ClientAddress::address));
            }
        }
        return entries;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** {@code 1.2.3.4:5678} and {@code [::1]:5678} as proxies sometimes write them. */
    private static String withoutPort(String entry) {
        if (entry.startsWith("[")) {
            int end = entry.indexOf(']');
            return end < 0 ? entry : entry.substring(0, end + 1);
        }
        int colon = entry.indexOf(':');
        return colon >= 0 && entry.indexOf(':', colon + 1) < 0 ? entry.substring(0, colon) : entry;
    }
}
