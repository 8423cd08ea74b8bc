// Package providers serves GET /providers: every provider of the catalogue (registry.Catalogue) with
// where it is, its services and their health, and its SLAs with what their user groups use now.
package providers
