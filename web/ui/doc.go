// Package ui serves the toscaflow dashboard: a single-page application (deployments list, new deployment with
// validation and an inputs form, deployment detail with the plan's live tokens drawn by bpmn-js) embedded
// into the binary.
//
// The sources are in src/ (plain ES modules, no framework) and are bundled by esbuild into dist/ with
// `npm ci && npm run build` (package.json and package-lock.json pin every front-end dependency; nothing is
// fetched from a CDN at run time). dist/ is embedded with go:embed. Only dist/README.md is committed, so that
// a clean clone compiles without npm: the dashboard then answers with a page saying how to build it, and
// Built reports false (the API's banner does not redirect browsers to a dashboard that is not there).
package ui
