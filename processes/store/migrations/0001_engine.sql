-- The BPMN engine's state: instances (JSON with a version for optimistic concurrency), their
-- indexes (timers by due time, subscriptions by kind/name/key, buffered messages by name/key),
-- the journal, and the outbox/inbox that carry commands to the bus and replies back.

CREATE TABLE instances (
    id         TEXT PRIMARY KEY,
    process_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    state      BLOB NOT NULL -- engine.Instance as JSON
);

CREATE TABLE timers (
    id       TEXT PRIMARY KEY,
    instance TEXT NOT NULL, -- '' for a timer start event of a process
    due      INTEGER NOT NULL, -- Unix nanoseconds
    timer    BLOB NOT NULL -- engine.Timer as JSON
);
CREATE INDEX timers_due ON timers (due, id);

CREATE TABLE subscriptions (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT, -- creation order: oldest first
    id       TEXT NOT NULL UNIQUE,
    instance TEXT NOT NULL,
    kind     INTEGER NOT NULL,
    name     TEXT NOT NULL,
    key      TEXT NOT NULL,
    sub      BLOB NOT NULL -- engine.Subscription as JSON
);
CREATE INDEX subscriptions_match ON subscriptions (kind, name, key, seq);

CREATE TABLE messages (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    id      TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    key     TEXT NOT NULL,
    expires INTEGER NOT NULL, -- Unix nanoseconds
    message BLOB NOT NULL -- engine.BufferedMessage as JSON
);
CREATE INDEX messages_match ON messages (name, key, seq);
CREATE INDEX messages_expiry ON messages (expires);

CREATE TABLE journal (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT, -- commit order
    instance TEXT NOT NULL,
    type     TEXT NOT NULL,
    element  TEXT NOT NULL,
    at       INTEGER NOT NULL, -- Unix nanoseconds
    incident INTEGER NOT NULL,
    detail   TEXT NOT NULL
);
CREATE INDEX journal_instance ON journal (instance, seq);

-- One row per engine command, written in the step's transaction; the relay publishes the rows
-- not yet sent, oldest first, and marks them sent only after the publish succeeded.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id TEXT NOT NULL UNIQUE,
    instance   TEXT NOT NULL,
    topic      TEXT NOT NULL,
    command    BLOB NOT NULL, -- engine.Command as JSON
    created    INTEGER NOT NULL,
    sent       INTEGER -- Unix nanoseconds; NULL while pending
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE sent IS NULL;

-- The replies applied, by command id: a reply delivered twice is applied once.
CREATE TABLE inbox (
    command_id TEXT PRIMARY KEY,
    applied    INTEGER NOT NULL
);
