-- Instances keep each scope in a row of its own, so that an engine step writes the scopes it changed
-- and not the whole state (a plan of twenty units keeps ~100 KB, of which a step changes a few KB);
-- instances.state keeps the rest (tokens, timers, subscriptions...) with null scopes. The nonce
-- changes with every write of an instance: a process that kept a decoded instance knows by it alone
-- whether that is still the row's state (cache.go).

CREATE TABLE instance_scopes (
    instance TEXT NOT NULL,
    id       INTEGER NOT NULL,
    state    BLOB NOT NULL, -- engine.Scope as JSON
    PRIMARY KEY (instance, id)
) WITHOUT ROWID;

ALTER TABLE instances ADD COLUMN nonce INTEGER NOT NULL DEFAULT 0;

-- The states written before: their scopes move to rows of their own. SQLite reads a BLOB as JSONB,
-- so the text is cast.
INSERT INTO instance_scopes (instance, id, state)
    SELECT i.id, json_extract(s.value, '$.id'), CAST(s.value AS BLOB)
    FROM instances i, json_each(CAST(i.state AS TEXT), '$.scopes') s
    WHERE s.type = 'object'; -- null scopes are a single null row
UPDATE instances SET state = CAST(json_set(CAST(state AS TEXT), '$.scopes', json('null')) AS BLOB);
