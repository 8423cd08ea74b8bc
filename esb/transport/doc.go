// Package transport holds the back-ends of the service bus: an in-process Watermill GoChannel and NATS JetStream
// (published through watermill-nats, consumed by pull workers that take a message only for a free handler),
// behind one small interface, plus the subscriber wrapper that bounds concurrency and lets in-flight messages
// finish (and be acknowledged) before a subscription closes.
package transport
