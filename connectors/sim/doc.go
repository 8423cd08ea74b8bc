// Package sim is a simulated cloud that implements every connector service (connectors.CloudResources,
// connectors.Packages, connectors.ContainerCluster and the updaters) on the platform "sim", so that toscaflow
// deploys on any laptop and tests can make a cloud slow or faulty on purpose.
//
// Its resource ledger persists in SQLite (WAL, migrations embedded), so a resource outlives a restart of the
// orchestrator: a create repeated with the same idempotency key, before or after a restart, returns what the
// first call created. Every call waits a latency drawn from its operation's distribution (fixed, uniform,
// normal with a floor) on the injected clock, so tests with a fake clock never sleep, then may hit an
// injected fault (transient, permanent, hang until the deadline; with a probability or on the first N calls; for
// some units only; before the call's effect, or after it, as when a reply is lost). Random draws are a
// function of the seed, the operation, the idempotency key and how many times that key was called, so runs
// with the same seed draw the same latencies and faults whatever order concurrent calls come in.
//
// One Cloud is one provider; several may share a ledger file, each seeing its own resources. Providers is the
// connector of several simulated providers, routing each request by Request.Provider.
//
// Both answer health checks (connectors.Pinger, called by the provider catalogue's registry.Health): a check
// has the latency and faults of Config.Health (or SetHealth), independent of the operations', so a test can
// make one provider unhealthy while its operations still work, or the reverse. Where a simulated provider is
// (location, region) and what it allows (SLAs, quotas) is told by the provider catalogue, not here.
package sim
