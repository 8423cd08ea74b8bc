// Package registry holds the service registry (which connector serves which service on which platform) and
// the provider catalogue with its ranking.
package registry
