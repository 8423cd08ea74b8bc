// Package connectors defines the connector SPI through which service tasks reach a cloud, its error
// classification, and the conformance suite every connector passes.
package connectors
