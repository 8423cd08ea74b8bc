// Package connectortest is the conformance suite every connector passes, as Watermill's pubsub/tests is for
// its Pub/Subs: a connector's test calls Run with a factory of connectors under test, and the suite checks,
// for each capability the connector implements, the full lifecycle, idempotent creates (the same key returns
// the same resource and creates nothing new, also when the calls run at once), that deleting or disposing of what does not exist succeeds,
// that the status of an unknown unit is a NotFound error, that outputs are present after a create, and that
// deadlines are honoured (a hung call returns a Timeout error when its context expires; a canceled call is
// never retryable).
//
//	func TestConformance(t *testing.T) {
//		connectortest.Run(t, func(t *testing.T) connectortest.Subject {
//			c := newConnector(t)
//			return connectortest.Subject{Connector: c, Hang: c.hangFromNowOn}
//		})
//	}
package connectortest
