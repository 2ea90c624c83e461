-- Every running Drover process records itself: what it does (its roles), the machine it runs on
-- (node: the data dir's identity, stable across restarts) and the address other processes reach
-- it at. Objects that live in one process (sandboxes, logs being written, bases on its disk) name
-- their instance, and any api replica forwards to its address. seen_at is renewed by a heartbeat;
-- an instance not seen for a while, or with stopped_at set, is gone.
CREATE TABLE instance (
    id          TEXT        PRIMARY KEY,
    node        TEXT        NOT NULL,
    roles       TEXT        NOT NULL,
    address     TEXT        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    seen_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    stopped_at  TIMESTAMPTZ
);

CREATE INDEX instance_node ON instance (node);
