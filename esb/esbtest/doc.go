// Package esbtest is the conformance suite of the service bus's back-ends (in the manner of Watermill's
// pubsub/tests): Run takes a constructor of buses and checks, against the real back-end, what the bus promises.
// StartNATS starts an embedded JetStream server for it.
package esbtest
