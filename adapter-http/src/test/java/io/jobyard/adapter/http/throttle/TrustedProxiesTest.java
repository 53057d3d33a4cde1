package io.jobyard.adapter.http.throttle;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxiesTest {

    @Test
    void addressesAndCidrBlocksOfBothFamiliesAreTrusted() throws Exception {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", " 192.168.1.7 ", "fd00::/8", "::1", ""));

        assertThat(proxies.contains(InetAddress.getByName("10.200.3.4"))).isTrue();
        assertThat(proxies.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(proxies.contains(InetAddress.getByName("192.168.1.7"))).isTrue();
        assertThat(proxies.contains(InetAddress.getByName("192.168.1.8"))).isFalse();
        assertThat(proxies.contains(InetAddress.getByName("fd12:3456::1"))).isTrue();
        assertThat(proxies.contains(InetAddress.getByName("fe80::1"))).isFalse();
        assertThat(proxies.contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(TrustedProxies.of(List.of("172.16.0.0/12")).contains(InetAddress.getByName("172.31.255.255")))
                .isTrue();
        assertThat(TrustedProxies.of(List.of("172.16.0.0/12")).contains(InetAddress.getByName("172.32.0.0")))
                .isFalse();
        assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
    }

    @Test
    void namesAndMalformedBlocksAreRefusedWithoutALookup() {
        for (String bad : new String[]{"proxy.example.com", "10.0.0.0/33", "10.0.0.0/x", "::1/129", "1.2.3"}) {
            assertThatThrownBy(() -> TrustedProxies.of(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() throws Exception {
        assertThat(ClientAddress.key(InetAddress.getByName("2001:db8:1:2:aaaa::1")))
                .isEqualTo(ClientAddress.key(InetAddress.getByName("2001:db8:1:2:bbbb::9")))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(ClientAddress.key(InetAddress.getByName("2001:db8:1:3::1")))
                .isNotEqualTo(ClientAddress.key(InetAddress.getByName("2001:db8:1:2::1")));
        assertThat(ClientAddress.key(InetAddress.getByName("203.0.113.9"))).isEqualTo("203.0.113.9");
    }
}
