package io.drover.orchestrator.auth;

import io.drover.orchestrator.tenant.Tenant;
import io.drover.workers.llm.GatewayTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Makes, lists, revokes and checks the API's bearer tokens. Made at start-up, so that a bad JWT setting stops it. */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class Tokens {
    @Inject
    AdminToken admin;
    @Inject
    io.drover.orchestrator.config.DroverConfig config;

    /** Characters of a token kept to tell it apart in lists: {@code drv_} and 8 of its random ones. */
    static final int SHOWN = 12;

    private final Clock clock = Clock.systemUTC();
    private Optional<Jwts> jwts = Optional.empty();

    @jakarta.annotation.PostConstruct
    void configure() {
        var jwt = config.auth().jwt();
        jwts = jwt.publicKeyLocation().map(pem -> new Jwts(Jwts.publicKey(pem), jwt.issuer().orElseThrow(() ->
                new IllegalStateException("drover.auth.jwt.issuer is required with drover.auth.jwt.public-key-location")),
                jwt.audience(), jwt.tenantClaim(), jwt.roleClaim()));
    }

    /** A token just made: the secret is in no other place, and is shown this once. */
    public record Issued(ApiToken token, String secret) {
    }

    /**
     * Who {@code secret} stands for, if it is the admin token, a valid token, or a valid JWT when
     * JWTs are configured (whose tenant is then made if new); else empty.
     */
    @Transactional
    public Optional<Caller> authenticate(String secret) {
        if (jwts.isPresent() && Jwts.looksLikeOne(secret)) {
            Optional<Caller> caller = jwts.get().verify(secret);
            caller.ifPresent(c -> Tenant.findOrMake(c.tenant()));
            return caller;
        }
        byte[] digest = GatewayTokens.sha256(secret);
        if (admin.matches(digest)) {
            return Optional.of(new Caller(config.auth().adminTenant(), Role.ADMIN, null, true));
        }
        Instant now = clock.instant();
        return ApiToken.withDigest(digest).filter(t -> t.validAt(now))
                .map(t -> new Caller(t.tenant, t.role, t.id, false));
    }

    /** Makes a token of {@code tenant}, which is made too if it is new (the caller checked it may). */
    @Transactional
    public Issued create(String tenant, Role role, Optional<Duration> expiresIn, String name) {
        Tenant.findOrMake(tenant);
        String secret = GatewayTokens.newToken();
        ApiToken token = new ApiToken();
        token.tenant = tenant;
        token.role = role;
        token.name = name;
        token.prefix = secret.substring(0, SHOWN);
        token.tokenSha256 = GatewayTokens.sha256(secret);
        token.createdAt = clock.instant();
        token.expiresAt = expiresIn.map(token.createdAt::plus).orElse(null);
        token.persist();
        return new Issued(token, secret);
    }

    /** The tenant's tokens, newest first, revoked ones included. */
    @Transactional
    public List<ApiToken> of(String tenant) {
        return ApiToken.list("tenant = ?1 order by id desc", tenant);
    }

    /** Revokes the tenant's token {@code id}; false if the tenant has no such token. */
    @Transactional
    public boolean revoke(String tenant, long id) {
        Optional<ApiToken> token = ApiToken.<ApiToken>findByIdOptional(id).filter(t -> t.tenant.equals(tenant));
        token.filter(t -> t.revokedAt == null).ifPresent(t -> t.revokedAt = clock.instant());
        return token.isPresent();
    }
}
