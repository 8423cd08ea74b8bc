-- Deployments by status: a restarting orchestrator looks for the unfinished ones.
CREATE INDEX deployments_status ON deployments (status, created);
