package e2e

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// providerRow is what the providers page shows of one provider.
type providerRow struct {
	Name     string     `json:"name"`
	Health   string     `json:"health"`
	Location string     `json:"location"`
	Services [][]string `json:"services"`
	SLAs     []string   `json:"slas"`
	Quotas   [][]string `json:"quotas"`
}

// providersJS reads every provider section of the page: its name, health, location, service rows and SLAs.
const providersJS = `Array.from(document.querySelectorAll('section.provider')).map((s) => ({
  name: s.dataset.provider,
  health: s.querySelector('h2 [data-health]')?.dataset.health || '',
  location: Array.from(s.querySelectorAll('.facts-grid dt')).find((dt) => dt.textContent.startsWith('Region'))?.nextElementSibling.textContent || '',
  services: Array.from(s.querySelectorAll('table.services tbody tr')).map((r) => Array.from(r.cells).map((c) => c.textContent.trim())),
  slas: Array.from(s.querySelectorAll('.sla')).map((d) => d.dataset.sla),
  quotas: Array.from(s.querySelectorAll('table.quotas tbody tr')).map((r) => Array.from(r.cells).map((c) => c.textContent.trim())),
}))`

// TestProvidersPage opens the Providers page from the navigation with the keyboard, on a server with two
// simulated providers of which one fails its health checks: both are listed with their location, services and
// SLAs, and the failing one turns unhealthy with its last error while the page is shown (it refreshes itself).
func TestProvidersPage(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds toscaflow and drives Chromium")
	}
	bin := binary(t)
	ctx := browser(t)
	dir := artifacts(t)
	sim, err := filepath.Abs(filepath.Join("testdata", "providers-sim.yaml"))
	require.NoError(t, err)
	cat, err := filepath.Abs(filepath.Join("testdata", "providers-catalogue.yaml"))
	require.NoError(t, err)
	base := serve(t, bin, sim, dir, "--catalogue", cat, "--health-period", "200ms")

	// From the deployments list, Tab reaches the navigation's Providers link and Enter follows it; the page's
	// heading then has the focus.
	run(t, ctx, dir, "open by keyboard", 20*time.Second,
		chromedp.Navigate(base+"/ui/"),
		chromedp.WaitVisible(css(`.list-state`)),
		chromedp.Focus(css(`.site-nav a[href="#/new"]`)),
		chromedp.KeyEvent(kb.Tab),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(css(`section.provider[data-provider=sim-b]`)))
	page := get(t, ctx, dir, "page", 5*time.Second, chromedp.Evaluate[map[string]string](`({
		hash: location.hash, focus: document.activeElement.tagName + ':' + document.activeElement.textContent,
		current: document.querySelector('.site-nav a[aria-current]')?.textContent || '',
	})`))
	assert.Equal(t, map[string]string{"hash": "#/providers", "focus": "H1:Providers", "current": "Providers"}, page)

	// sim-b fails every check: the refreshes show it unhealthy with its error, while sim-a stays healthy.
	var rows []providerRow
	require.Eventually(t, func() bool {
		rows, err = chromedp.Run(ctx, chromedp.Evaluate[[]providerRow](providersJS))
		return err == nil && len(rows) == 2 && rows[0].Health == "healthy" && rows[1].Health == "unhealthy"
	}, 30*time.Second, 100*time.Millisecond, "the providers' health never showed: %+v", rows)
	shot(t, ctx, dir, "1-providers")

	a, b := rows[0], rows[1]
	assert.Equal(t, "sim-a", a.Name)
	assert.Equal(t, "eu-south · bologna, IT", a.Location)
	require.Len(t, a.Services, 1)
	assert.Equal(t, []string{"compute", "sim", "https://sim-a.invalid", "healthy", "100 %"}, a.Services[0][:5])
	assert.Equal(t, []string{"a-beta", "a-all"}, a.SLAs)
	assert.Equal(t, [][]string{{"Instances", "0", "4"}, {"vCPUs", "0", "16"}, {"RAM", "0 B", "8 GiB"}}, a.Quotas)

	assert.Equal(t, "sim-b", b.Name)
	assert.Equal(t, "eu-central · karlsruhe, DE", b.Location)
	require.Len(t, b.Services, 1)
	assert.Equal(t, []string{"any", "sim", "—", "unhealthy", "0 %"}, b.Services[0][:5])
	assert.Contains(t, b.Services[0][6], "health check of sim-b", "the last check's error is shown")
	assert.Equal(t, []string{"b-all"}, b.SLAs)
	assert.Equal(t, [][]string{{"Storage", "0 B", "1 TiB"}}, b.Quotas)

	state := get(t, ctx, dir, "state", 5*time.Second, chromedp.Text(css(`.list-state`)))
	assert.Equal(t, "2 providers, 1 unhealthy.", state)
	accessible(t, ctx, dir, "providers")

	// The next refreshes get an empty catalogue, then an error (the browser's fetch answers for the server):
	// the page says so each time, in its status.
	for _, c := range []struct{ name, status, body, want string }{
		{"empty", "200", `{"providers":[]}`, "The catalogue lists no provider: nothing can be deployed until the administrator adds one."},
		{"error", "500", `{"title":"Internal Server Error","message":"catalogue unreadable"}`, "The providers cannot be listed: catalogue unreadable"},
	} {
		run(t, ctx, dir, c.name, 20*time.Second,
			script(`window.__fetch ||= window.fetch; window.fetch = (u, o) => String(u).startsWith('/providers')
				? Promise.resolve(new Response(`+jsString(c.body)+`, { status: `+c.status+`, headers: { 'Content-Type': 'application/json' } }))
				: window.__fetch(u, o)`),
			chromedp.WaitNotPresent(css(`section.provider`)),
			chromedp.Poll[chromedp.Void](`document.querySelector('.list-state').textContent === `+jsString(c.want)))
		shot(t, ctx, dir, "2-"+c.name)
	}
}
