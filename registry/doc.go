// Package registry holds the service registry: connectors announce the services they implement (service type ×
// platform, e.g. container-cluster on kubernetes, compute on openstack) and the broker looks up the connector
// that serves a command. The provider catalogue with its ranking (DESIGN.md section 5) joins it in this
// package.
package registry
