package io.drover.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RolesTest {
    @Test
    void a_comma_list_of_roles_is_read_in_any_case_and_order() {
        assertThat(Roles.parse(List.of("api", "worker", "scheduler"))).isEqualTo(Roles.ALL);
        assertThat(Roles.parse(List.of(" Worker ", "scheduler"))).isEqualTo(new Roles(false, true, true));
        assertThat(Roles.parse(List.of("api")).toString()).isEqualTo("api");
    }

    @Test
    void an_unknown_role_or_none_stops_start_up_naming_the_setting() {
        assertThatThrownBy(() -> Roles.parse(List.of("api", "wroker"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drover.roles: 'wroker' is not a role; use a comma list of api, worker and scheduler");
        assertThatThrownBy(() -> Roles.parse(List.of(" "))).hasMessageStartingWith("drover.roles: names no role");
    }
}
