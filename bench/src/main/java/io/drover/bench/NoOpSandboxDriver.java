package io.drover.bench;

import io.drover.sandbox.BaseSnapshot;
import io.drover.sandbox.BaseSpec;
import io.drover.sandbox.Command;
import io.drover.sandbox.ExecResult;
import io.drover.sandbox.Execution;
import io.drover.sandbox.Resources;
import io.drover.sandbox.Sandbox;
import io.drover.sandbox.SandboxDriver;
import io.drover.sandbox.SandboxState;
import io.drover.sandbox.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A driver that runs nothing: every command "exits 0" at once. It exists only so that benchmark
 * P1 measures orchestration (claims, attempts, completions in PostgreSQL) and not processes.
 */
final class NoOpSandboxDriver implements SandboxDriver {
    private record NoOpSandbox(String id, BaseSnapshot base, Resources resources) implements Sandbox {
        @Override
        public SandboxState state() {
            return SandboxState.WARM;
        }
    }

    @Override
    public String name() {
        return "noop";
    }

    @Override
    public BaseSnapshot prepareBase(BaseSpec spec) {
        return new BaseSnapshot(spec.hash(), spec, Path.of("/nonexistent"), 0, Duration.ZERO);
    }

    @Override
    public Sandbox clone(BaseSnapshot base, Resources resources) {
        return new NoOpSandbox(UUID.randomUUID().toString(), base, resources);
    }

    @Override
    public Execution exec(Sandbox sandbox, Command command) {
        return new Execution() {
            @Override
            public ExecResult await() {
                return new ExecResult(0, ExecResult.Termination.EXITED, Duration.ZERO);
            }

            @Override
            public void kill() {
            }
        };
    }

    @Override
    public void standby(Sandbox sandbox) {
    }

    @Override
    public void resume(Sandbox sandbox) {
    }

    @Override
    public void destroy(Sandbox sandbox) {
    }

    @Override
    public Usage usage(Sandbox sandbox) {
        return new Usage(Duration.ZERO, Duration.ZERO, Optional.empty(), 0, OptionalLong.empty(), OptionalLong.empty());
    }
}
