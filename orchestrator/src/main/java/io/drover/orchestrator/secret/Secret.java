package io.drover.orchestrator.secret;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** A tenant's secret as stored: its value only encrypted (V15 {@code secret}). */
@Entity
@Table(name = "secret")
public class Secret extends PanacheEntityBase {
    /** What a secret's name may be. */
    public static final String NAME = io.drover.sandbox.secret.SecretRef.NAME;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String tenant;
    public String name;
    @Column(name = "key_id")
    public String keyId;
    public byte[] nonce;
    public byte[] ciphertext;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    static Optional<Secret> of(String tenant, String name) {
        return find("tenant = ?1 and name = ?2", tenant, name).firstResultOptional();
    }

    static List<Secret> named(String tenant, Collection<String> names) {
        return list("tenant = ?1 and name in ?2", tenant, names);
    }

    SecretCipher.Sealed sealed() {
        return new SecretCipher.Sealed(nonce, ciphertext, keyId);
    }

    void seal(SecretCipher.Sealed sealed) {
        nonce = sealed.nonce();
        ciphertext = sealed.ciphertext();
        keyId = sealed.keyId();
    }
}
