package io.jobyard.adapter.http.throttle;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed, as addresses or CIDR blocks ({@code 10.0.0.0/8},
 * {@code ::1}, {@code fd00::/8}). Without any (the default) the client address is always the socket's peer: a header
 * any client can write decides nothing.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Block> blocks;

    private record Block(byte[] network, int prefix) {
        String canonical() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * @param entries IP addresses or CIDR blocks, literal only (no host names: nothing is looked up)
     * @throws IllegalArgumentException an entry that is neither
     */
    public static TrustedProxies of(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : Objects.requireNonNull(entries, "entries")) {
            String text = entry.trim();
            if (text.isEmpty()) {
                continue;
            }
            int slash = text.indexOf('/');
            byte[] network = literal(slash < 0 ? text : text.substring(0, slash))
                    .orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR block: " + entry));
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a CIDR prefix length: " + entry);
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("CIDR prefix length out of range: " + entry);
                }
            }
            blocks.add(new Block(network, prefix));
        }
        return new TrustedProxies(blocks);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return blocks.stream().anyMatch(block -> block.contains(bytes));
    }

    /**
     * The bytes of an IPv4 or IPv6 literal, without a name lookup ({@link InetAddress#getByName} resolves names, so
     * only text made of address characters is given to it).
     */
    static java.util.Optional<byte[]> literal(String text) {
        String value = text.trim();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        boolean v4 = value.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = value.contains(":") && value.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(InetAddress.getByName(value).getAddress());
        } catch (UnknownHostException notAnAddress) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustedProxies that && canonical().equals(that.canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    private List<String> canonical() {
        return blocks.stream().map(Block::canonical).toList();
    }

    @Override
    public String toString() {
        return "TrustedProxies" + canonical();
    }
}
