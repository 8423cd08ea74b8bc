// Package esb is toscaflow's service bus on Watermill: command and reply envelopes, topics, correlation and
// router middleware.
package esb
