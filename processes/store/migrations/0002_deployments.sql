-- The deployments layer (processes package): deployments, their templates, process definitions,
-- resources and log lines.

CREATE TABLE deployments (
    uuid              TEXT PRIMARY KEY,
    status            TEXT NOT NULL,
    status_reason     TEXT NOT NULL DEFAULT '',
    task              TEXT NOT NULL DEFAULT 'NONE',
    owner_issuer      TEXT NOT NULL DEFAULT '',
    owner_subject     TEXT NOT NULL DEFAULT '',
    user_group        TEXT NOT NULL DEFAULT '',
    callback          TEXT NOT NULL DEFAULT '',
    provider_name     TEXT NOT NULL DEFAULT '',
    provider_endpoint TEXT NOT NULL DEFAULT '{}', -- JSON object
    parameters        TEXT NOT NULL DEFAULT '{}', -- JSON object
    outputs           TEXT NOT NULL DEFAULT '{}', -- JSON object
    created           INTEGER NOT NULL, -- Unix nanoseconds
    updated           INTEGER NOT NULL,
    version           INTEGER NOT NULL
);
CREATE INDEX deployments_owner ON deployments (owner_issuer, owner_subject, created);
CREATE INDEX deployments_group ON deployments (user_group, created);
CREATE INDEX deployments_created ON deployments (created);

CREATE TABLE templates (
    deployment TEXT PRIMARY KEY REFERENCES deployments (uuid) ON DELETE CASCADE,
    yaml       TEXT NOT NULL,
    updated    INTEGER NOT NULL
);

-- The BPMN plans of a deployment, one per kind (deploy, undeploy, update).
CREATE TABLE process_definitions (
    deployment TEXT NOT NULL REFERENCES deployments (uuid) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    xml        TEXT NOT NULL,
    instance   TEXT NOT NULL DEFAULT '', -- the engine instance running it, once started
    updated    INTEGER NOT NULL,
    PRIMARY KEY (deployment, kind)
);

CREATE TABLE resources (
    uuid        TEXT PRIMARY KEY,
    deployment  TEXT NOT NULL REFERENCES deployments (uuid) ON DELETE CASCADE,
    node_name   TEXT NOT NULL,
    tosca_type  TEXT NOT NULL,
    state       TEXT NOT NULL,
    physical_id TEXT NOT NULL DEFAULT '',
    required_by TEXT NOT NULL DEFAULT '[]', -- JSON array of resource uuids
    metadata    TEXT NOT NULL DEFAULT '{}', -- JSON object
    ordinal     INTEGER NOT NULL, -- topological order within the deployment
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL
);
CREATE INDEX resources_deployment ON resources (deployment, ordinal, uuid);

CREATE TABLE deployment_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    deployment TEXT NOT NULL REFERENCES deployments (uuid) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    line       TEXT NOT NULL
);
CREATE INDEX deployment_log_deployment ON deployment_log (deployment, seq);
CREATE INDEX process_definitions_instance ON process_definitions (instance) WHERE instance <> '';
