// Package deployments serves the INDIGO deployments endpoints (../shared/API.md): create, list, read,
// update, reset and delete a deployment, its template, log, plan and statistics, its resources and
// their start/stop actions, and its extrainfo. Each request is checked for its owner (access.Guard)
// before the Lifecycle is asked, and answered with the API's views, links and error bodies (rest).
package deployments
