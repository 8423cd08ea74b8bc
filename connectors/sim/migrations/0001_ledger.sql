-- Tables are prefixed sim_ so that the ledger may share a database file with the orchestrator's store.
-- The resources of every simulated provider, one row per unit of a deployment.
CREATE TABLE sim_resources (
    provider    TEXT NOT NULL,
    deployment  TEXT NOT NULL,
    name        TEXT NOT NULL,
    service     TEXT NOT NULL,
    id          TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    state       TEXT NOT NULL,
    unit        TEXT NOT NULL,
    outputs     TEXT NOT NULL,
    created_key TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    ready_at    INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (provider, deployment, name)
);

-- The operations done, by idempotency key: a call repeated with its key answers from here.
CREATE TABLE sim_operations (
    provider  TEXT NOT NULL,
    key       TEXT NOT NULL,
    operation TEXT NOT NULL,
    outputs   TEXT NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (provider, key, operation)
);
