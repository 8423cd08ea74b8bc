-- The template an update replaced, kept until that update completes: a delete meanwhile (or after the
-- update failed) undeploys its nodes too, since some of them may still be on the provider. NULL when no
-- update is incomplete.
ALTER TABLE templates ADD COLUMN previous TEXT;
