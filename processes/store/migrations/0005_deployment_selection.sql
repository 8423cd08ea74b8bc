-- How the deployment's provider was chosen (the processes package's provider ranking, as JSON): kept
-- with the deployment so that it is there even when no provider qualified and no plan started.
ALTER TABLE deployments ADD COLUMN selection TEXT NOT NULL DEFAULT '';
