package io.drover.workers.secret;

import io.drover.sandbox.SandboxException;
import java.util.List;

/** A base's setup names secrets its tenant no longer has: it cannot be built until they are made again. */
public final class SecretsMissing extends SandboxException {
    private final List<String> names;

    public SecretsMissing(String tenant, List<String> names) {
        super("the secret(s) " + names + " named in spec.sandbox.setupSecrets no longer exist in tenant " + tenant
                + "; make them again with POST /api/v1/secrets");
        this.names = List.copyOf(names);
    }

    public List<String> names() {
        return names;
    }
}
