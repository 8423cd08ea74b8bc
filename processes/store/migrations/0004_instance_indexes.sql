-- Timers and subscriptions by instance, for PurgeInstance.
CREATE INDEX timers_instance ON timers (instance);
CREATE INDEX subscriptions_instance ON subscriptions (instance);
