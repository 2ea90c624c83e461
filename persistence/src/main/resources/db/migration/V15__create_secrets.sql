-- A tenant's secrets (docs/security.md): AES-256-GCM ciphertext only. The additional data of each
-- ciphertext is tenant || '\0' || name, so a ciphertext copied into another row does not decrypt;
-- key_id names the key that wrote it, so that a wrong key is told as such rather than as garbage.

CREATE TABLE secret (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant      TEXT        NOT NULL REFERENCES tenant (name),
    name        TEXT        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    key_id      TEXT        NOT NULL,
    nonce       BYTEA       NOT NULL CHECK (length(nonce) = 12),
    ciphertext  BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (tenant, name)
);
