// Package e2e holds the dashboard's browser end-to-end tests: a real `toscaflow serve` on the simulated cloud,
// driven through the dashboard in headless Chromium (Debian's chromium, over the DevTools protocol with
// chromedp). Screenshots are written to testout/e2e at the repository root.
//
// The tests skip when chromium or the dashboard's bundle is missing, unless CI is set. TOSCAFLOW_E2E_BIN names a
// prebuilt toscaflow binary to test instead of building one; CHROMIUM names the browser.
package e2e
