// Package registry holds the service registry and the provider catalogue (DESIGN.md section 5).
//
// # Service registry
//
// Connectors announce the services they implement (service type × platform, e.g. container-cluster on
// kubernetes, compute on openstack) to a Services, and the broker looks up the connector that serves a
// command.
//
// # Provider catalogue
//
// A Catalogue (YAML; the schema is the doc comment of Catalogue, an example is testdata/catalogue.yaml,
// the embedded default one simulated provider) lists the clouds deployments may go to: their services
// (platform, service type, endpoint, credentials by reference only), region, data location, tags and SLAs
// per user group (priority, quotas). ParseCatalogue and LoadCatalogue list every problem with its path.
//
// # Health
//
// Health checks every service of the catalogue periodically through its connector (the optional
// capability connectors.Pinger) and keeps the checks of a sliding window: availability, and a state
// (unknown, healthy, unhealthy) that the ranking reads. Time comes from an injected clock.
//
// # Ranking
//
// A Selector ranks the providers for a Request (what a template needs, derived by package processes:
// services, demand, placement policies, data location, the user group): it drops those that lack a
// service or a connector, have no SLA for the group (or none the placement asks for), are elsewhere than
// the data must stay, lack a tag, are unhealthy or would exceed a quota with what the group already uses;
// it ranks the others by SLA priority, health, availability and load. Every provider appears in the
// Ranking with the reasons it was kept or dropped.
package registry
