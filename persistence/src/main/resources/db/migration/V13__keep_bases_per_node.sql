-- Bases per node. A base (base_snapshot: its spec and driver, per hash) has one copy per node that
-- holds it on disk. Each node builds its own copy, or fetches it from a peer node that has one,
-- verified against the content hash recorded by the copy's builder. base_snapshot.state becomes a
-- summary of its copies (READY when any copy is READY), kept by the same statements that move a copy.
CREATE TABLE base_copy (
    hash          TEXT        NOT NULL REFERENCES base_snapshot (hash),
    node          TEXT        NOT NULL,
    state         TEXT        NOT NULL CHECK (state IN ('BUILDING', 'READY', 'FAILED', 'DELETED')),
    location      TEXT,
    size_bytes    BIGINT,
    content_hash  TEXT,                  -- sha256 over the layer's tree, computed when it was built
    build_ms      BIGINT,                -- set when this node built it
    fetched_ms    BIGINT,                -- set when this node fetched it (transfer, verification, install)
    fetched_from  TEXT,                  -- the node it was fetched from; NULL when built here
    builder       TEXT,                  -- the instance that made it READY or FAILED
    error         TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    ready_at      TIMESTAMPTZ,
    last_used_at  TIMESTAMPTZ,
    deleted_at    TIMESTAMPTZ,
    PRIMARY KEY (hash, node)
);
-- Claims look up READY copies per base; collection looks up a node's idle copies.
CREATE INDEX base_copy_ready ON base_copy (hash, node) WHERE state = 'READY';
CREATE INDEX base_copy_node ON base_copy (node, state);

-- Bases recorded READY before this migration were on the disk of whichever node built them, which
-- no row names. They become copies of the node 'legacy'; the first node that finds such a base on
-- its own disk adopts the copy (and its priced build) under its own name, so an upgraded data dir
-- keeps its bases without building or paying for them again.
INSERT INTO base_copy (hash, node, state, location, size_bytes, build_ms, builder, created_at, ready_at,
                       last_used_at)
SELECT hash, 'legacy', 'READY', location, size_bytes, build_ms, builder, created_at, ready_at, last_used_at
  FROM base_snapshot WHERE state = 'READY';

-- Every copy is priced: a build as before (its setup and its layer's storage), a fetched copy for
-- its layer's storage only (setup_usd 0, build_ms 0: no setup ran for it).
ALTER TABLE base_build ADD COLUMN node TEXT NOT NULL DEFAULT 'legacy';
ALTER TABLE base_build ALTER COLUMN node DROP DEFAULT;
ALTER TABLE base_build ADD COLUMN fetched_from TEXT;
CREATE INDEX base_build_node ON base_build (base_hash, node) WHERE deleted_at IS NULL;
