package io.drover.workers.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.NetworkPolicy;
import io.drover.persistence.retry.RetryPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskTemplatesTest {
    @Test
    void network_policies_survive_the_stored_json() {
        NetworkPolicy allow = NetworkPolicy.allowing(List.of("registry.npmjs.org:443", "10.203.0.2:8080"));
        TaskTemplate template = new TaskTemplate("true", Map.of(), 1_000, "process", "host", List.of("npm ci"),
                Map.of(), 64, 1, RetryPolicy.NONE, allow, NetworkPolicy.NONE, null, 15_000, 60_000, 0, "acme");

        TaskTemplate read = TaskTemplates.parse(TaskTemplates.toJson(template));

        assertThat(read).isEqualTo(template);
        assertThat(read.baseSpec()).isEqualTo(new BaseSpec("host", List.of("npm ci"), Map.of(), NetworkPolicy.NONE, "acme"));
        assertThat(read.baseSpec().hash()).as("the tenant is part of the base's hash")
                .isNotEqualTo(new BaseSpec("host", List.of("npm ci"), Map.of(), NetworkPolicy.NONE).hash());
    }

    @Test
    void templates_stored_before_networking_read_back_with_the_defaults() {
        TaskTemplate read = TaskTemplates.parse("""
                {"command":"true","env":{},"timeoutMs":1000,"driver":"process","image":"host","setup":[],
                 "setupEnv":{},"memoryMb":64,"vcpus":1.0}""");

        assertThat(read.network()).isEqualTo(NetworkPolicy.NONE);
        assertThat(read.setupNetwork()).isEqualTo(NetworkPolicy.EGRESS);
        assertThat(read.baseSpec().hash()).isEqualTo(new BaseSpec("host", List.of(), Map.of()).hash());
    }
}
