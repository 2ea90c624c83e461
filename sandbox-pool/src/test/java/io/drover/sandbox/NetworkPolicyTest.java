package io.drover.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkPolicyTest {
    @Test
    void endpoints_are_addresses_networks_or_names_with_a_port() {
        assertThat(NetworkPolicy.Endpoint.parse("Registry.NPMjs.org:443"))
                .isEqualTo(new NetworkPolicy.Endpoint("registry.npmjs.org", 443));
        assertThat(NetworkPolicy.Endpoint.parse("10.203.0.2:8080").isAddress()).isTrue();
        assertThat(NetworkPolicy.Endpoint.parse("10.0.0.0/8:22").isAddress()).isTrue();
        assertThat(NetworkPolicy.Endpoint.parse("deb.debian.org:80").isAddress()).isFalse();
    }

    @Test
    void malformed_endpoints_say_what_is_expected() {
        assertThatThrownBy(() -> NetworkPolicy.Endpoint.parse("example.org")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> NetworkPolicy.Endpoint.parse("example.org:0")).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> NetworkPolicy.Endpoint.parse("example.org:http")).hasMessageContaining("number");
        assertThatThrownBy(() -> NetworkPolicy.Endpoint.parse("*.debian.org:80")).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> NetworkPolicy.Endpoint.parse("[::1]:80")).hasMessageContaining("IPv4 only");
        assertThatThrownBy(() -> NetworkPolicy.Endpoint.parse("10.0.0.256:80")).hasMessageContaining("IPv4 address");
        assertThatThrownBy(() -> NetworkPolicy.Endpoint.parse("under_score.org:80")).hasMessageContaining("DNS name");
        assertThatThrownBy(() -> NetworkPolicy.allowing(List.of())).hasMessageContaining("at least one");
    }

    @Test
    void the_canonical_form_ignores_the_order_of_an_allowlist() {
        assertThat(NetworkPolicy.allowing(List.of("b.org:1", "a.org:2")).canonical()).isEqualTo("allow:a.org:2,b.org:1");
        assertThat(NetworkPolicy.named("egress").canonical()).isEqualTo("egress");
    }
}
