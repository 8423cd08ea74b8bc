package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// badgesJS reads the token badges on the plan and the deployment's status.
const badgesJS = `(() => ({
  status: document.querySelector('.summary [data-status]')?.dataset.status || '',
  live: document.querySelector('.live-state')?.dataset.state || '',
  badges: Array.from(document.querySelectorAll('.tf-badge[data-element]'))
    .map((b) => b.dataset.element + ':' + b.dataset.kind + ':' + b.textContent).sort(),
}))()`

type planState struct {
	Status string   `json:"status"`
	Live   string   `json:"live"`
	Badges []string `json:"badges"`
}

func (p planState) has(kind string) bool {
	for _, b := range p.Badges {
		if strings.Contains(b, ":"+kind+":") {
			return true
		}
	}
	return false
}

type css = chromedp.CSS

// TestDeployFromTheDashboard walks the scenario: upload a template with a mistake, see the problem at
// its line, fix it, deploy it on the simulated cloud with latencies, watch the badges move while it runs, and
// read the outputs once it is CREATE_COMPLETE; then a deployment the simulated cloud fails shows where it failed.
func TestDeployFromTheDashboard(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds toscaflow and drives Chromium")
	}
	bin := binary(t)
	ctx := browser(t)
	dir := artifacts(t)
	sim, err := filepath.Abs(filepath.Join("testdata", "sim.yaml"))
	require.NoError(t, err)
	base := serve(t, bin, sim, dir)
	mistake, err := filepath.Abs(filepath.Join("testdata", "shop-mistake.yaml"))
	require.NoError(t, err)
	fixed, err := os.ReadFile(filepath.Join("testdata", "shop.yaml"))
	require.NoError(t, err)
	badLine := strconv.Itoa(lineOf(t, mistake, "tosca.nodes.Compuet"))

	// An empty server: the list says so and offers the way to start.
	run(t, ctx, dir, "empty list", 20*time.Second,
		chromedp.Navigate(base+"/ui/"),
		chromedp.WaitVisible(css(`a.button[href="#/new"]`)),
		chromedp.WaitVisible(css(`.list-state a[href="#/new"]`)))
	accessible(t, ctx, dir, "empty list")

	// Upload the template with the mistake: the problem shows at its line, in the gutter and in the list.
	problem := `.problems li[data-line="` + badLine + `"]`
	run(t, ctx, dir, "upload with a mistake", 30*time.Second,
		chromedp.Click(css(`a.button[href="#/new"]`)),
		chromedp.WaitReady(css(`input[type=file]`)),
		chromedp.SetUploadFiles(css(`input[type=file]`), []string{mistake}),
		chromedp.WaitVisible(css(problem)),
		chromedp.WaitVisible(css(`.gutter .has-problem[data-line="`+badLine+`"]`)))
	problemText := get(t, ctx, dir, "problem text", 5*time.Second, chromedp.Text(css(problem)))
	assert.Contains(t, problemText, "unknown node type")
	assert.Contains(t, problemText, "Compuet")

	// The problem's button takes the caret to its line; then the fix makes the template valid.
	run(t, ctx, dir, "go to the line", 10*time.Second, chromedp.Click(css(problem+` button`)))
	shot(t, ctx, dir, "1-problem-at-its-line")
	accessible(t, ctx, dir, "new deployment with a problem")
	focused := get(t, ctx, dir, "caret", 5*time.Second, chromedp.Evaluate[string](
		`document.activeElement.tagName + ':' + document.activeElement.value.slice(0, document.activeElement.selectionStart).split('\n').length`))
	assert.Equal(t, "TEXTAREA:"+badLine, focused, "the problem's button puts the caret on its line")
	run(t, ctx, dir, "fix", 30*time.Second,
		script(`const ta = document.querySelector('textarea.code'); ta.value = `+jsString(string(fixed))+`; ta.dispatchEvent(new Event('input'))`),
		chromedp.WaitVisible(css(`.validity.ok`)),
		chromedp.WaitNotPresent(css(`.gutter .has-problem`)))

	// The inputs form is generated from the template: cpus offers its valid values, the default chosen.
	run(t, ctx, dir, "inputs form", 10*time.Second, chromedp.WaitVisible(css(`select[data-input=cpus]`)))
	cpus := get(t, ctx, dir, "cpus", 5*time.Second, chromedp.Value(css(`select[data-input=cpus]`)))
	options := get(t, ctx, dir, "options", 5*time.Second, chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll('select[data-input=cpus] option')).map(o => o.value).join(',')`))
	assert.Equal(t, "2", cpus)
	assert.Equal(t, "1,2,4", options)
	// The providers are listed; the second one is chosen (automatic picks sim-a for a first deployment: equal
	// rank, none in use).
	run(t, ctx, dir, "fill inputs", 10*time.Second,
		chromedp.SetValue(css(`select[data-input=cpus]`), "4"),
		chromedp.SetValue(css(`input[data-input=context_root]`), "/store"),
		chromedp.WaitReady(css(`select[name=provider] option[value=sim-b]`)),
		chromedp.SetValue(css(`select[name=provider]`), "sim-b"))
	shot(t, ctx, dir, "2-valid-with-inputs")

	// Deploy: the page of the deployment opens and its plan's badges move while it runs.
	run(t, ctx, dir, "deploy", 30*time.Second,
		chromedp.Click(css(`form.new-deployment button[type=submit]`)),
		chromedp.WaitVisible(css(`.plan-canvas svg`)))
	var seen []planState
	distinct := map[string]bool{}
	streamed := false
	require.Eventually(t, func() bool {
		st, err := chromedp.Run(ctx, chromedp.Evaluate[planState](badgesJS))
		if err != nil {
			return false
		}
		streamed = streamed || st.Live == "open"
		if st.Status == "CREATE_IN_PROGRESS" && st.has("active") {
			key := strings.Join(st.Badges, ",")
			if !distinct[key] {
				distinct[key] = true
				seen = append(seen, st)
				if len(seen) == 2 {
					shot(t, ctx, dir, "3-running")
				}
			}
		}
		return st.Status != "CREATE_IN_PROGRESS" && st.Status != ""
	}, 60*time.Second, 50*time.Millisecond, "the deployment never finished")
	require.GreaterOrEqual(t, len(seen), 2, "the badges did not move while the deployment ran: %v", seen)
	assert.True(t, streamed, "the plan was not fed by GET /deployments/{id}/events")

	// CREATE_COMPLETE with its outputs; nothing runs any more, and the flows taken are marked.
	run(t, ctx, dir, "complete", 20*time.Second,
		chromedp.WaitVisible(css(`.summary [data-status=CREATE_COMPLETE]`)),
		chromedp.WaitVisible(css(`dd[data-output=shop_url]`)))
	url := get(t, ctx, dir, "output", 5*time.Second, chromedp.Text(css(`dd[data-output=shop_url]`)))
	counts := get(t, ctx, dir, "counts", 5*time.Second, chromedp.Evaluate[map[string]int](`({
		active: document.querySelectorAll('.tf-badge[data-kind=active]').length,
		completed: document.querySelectorAll('.tf-badge[data-kind=completed]').length,
		taken: document.querySelectorAll('.djs-connection.tf-taken').length,
	})`))
	provider := get(t, ctx, dir, "provider", 5*time.Second, chromedp.Text(css(`[data-testid=provider]`)))
	assert.Regexp(t, `^https://[0-9.]+/store$`, url)
	assert.Contains(t, provider, "sim-b")
	assert.Zero(t, counts["active"], "no token is left running")
	assert.Positive(t, counts["completed"])
	assert.Positive(t, counts["taken"])
	shot(t, ctx, dir, "4-complete-with-outputs")
	accessible(t, ctx, dir, "deployment complete")

	// The BPMN download hands the browser the plan's XML under the deployment's name.
	run(t, ctx, dir, "download", 10*time.Second,
		script(`window.__saved = null; const make = URL.createObjectURL;
			URL.createObjectURL = (blob) => { window.__saved = { blob }; return make(blob); };
			const click = HTMLAnchorElement.prototype.click;
			HTMLAnchorElement.prototype.click = function () { window.__saved.name = this.download; return click.call(this); }`),
		chromedp.Click(chromedp.Search(`//button[text()="Download BPMN"]`)))
	saved := get(t, ctx, dir, "downloaded", 5*time.Second, chromedp.Evaluate[map[string]string](
		`window.__saved.blob.text().then((xml) => ({ name: window.__saved.name, head: xml.slice(0, 300) }))`, chromedp.EvalAwaitPromise))
	assert.Regexp(t, `^deployment-[0-9a-f-]+\.bpmn$`, saved["name"])
	assert.Contains(t, saved["head"], "bpmn:definitions")

	// The tabs answer the keyboard: from Plan, the right arrow opens the topology, whose nodes show their state.
	run(t, ctx, dir, "keyboard tabs", 10*time.Second,
		chromedp.Focus(css(`[role=tab][data-tab=plan]`)),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.WaitVisible(css(`.topology [data-node=server]`)))
	state := get(t, ctx, dir, "node state", 5*time.Second, chromedp.AttributeValue(css(`.topology [data-node=server]`), "data-state"))
	assert.Equal(t, "STARTED", state.Value)
	shot(t, ctx, dir, "5-topology")

	// Update it: the form starts from its template with every input empty (unchanged); a new context root gives
	// a new output once UPDATE_COMPLETE.
	run(t, ctx, dir, "update form", 20*time.Second,
		chromedp.Click(css(`.summary a[href$="/update"]`)),
		chromedp.WaitVisible(css(`.validity.ok`)),
		chromedp.WaitVisible(css(`input[data-input=context_root]`)))
	form := get(t, ctx, dir, "update form values", 5*time.Second, chromedp.Evaluate[map[string]string](`({
		template: String(document.querySelector('textarea.code').value.includes('e2e-shop')),
		root: document.querySelector('[data-input=context_root]').value,
		cpus: document.querySelector('[data-input=cpus]').value,
	})`))
	assert.Equal(t, map[string]string{"template": "true", "root": "", "cpus": ""}, form)
	shot(t, ctx, dir, "5b-update-form")
	run(t, ctx, dir, "update", 60*time.Second,
		chromedp.SetValue(css(`input[data-input=context_root]`), "/market"),
		chromedp.Click(css(`form.new-deployment button[type=submit]`)),
		chromedp.WaitVisible(css(`.summary [data-status=UPDATE_COMPLETE]`)))
	url = get(t, ctx, dir, "updated output", 5*time.Second, chromedp.Text(css(`dd[data-output=shop_url]`)))
	assert.Regexp(t, `^https://[0-9.]+/market$`, url)

	// A deployment the simulated cloud fails: the reason names the node, and the plan marks where it failed.
	// It is opened once it has failed, so that the page reads the errors from the replay of the whole journal.
	id := post(t, base, "broken.yaml")
	require.Eventually(t, func() bool { return status(t, base, id) == "CREATE_FAILED" }, 60*time.Second, 50*time.Millisecond)
	run(t, ctx, dir, "failure", 60*time.Second,
		chromedp.Navigate(base+"/ui/#/deployments/"+id),
		chromedp.WaitVisible(css(`.summary [data-status=CREATE_FAILED]`)),
		chromedp.WaitVisible(css(`.reason-bad[role=alert]`)),
		chromedp.WaitVisible(css(`.djs-element.tf-failed`)),
		chromedp.WaitVisible(css(`[data-testid=failures]`)),
		// The task that threw the error (create-resource) is marked, with the errors it threw (read from the
		// stream's replay of the journal).
		chromedp.WaitVisible(css(`.djs-element.tf-failed[data-element-id=cr_create]`)),
		chromedp.WaitVisible(css(`.tf-badge[data-kind=errors][data-element=cr_create]`)))
	reason := get(t, ctx, dir, "reason", 5*time.Second, chromedp.Text(css(`.reason-bad pre`)))
	assert.Contains(t, reason, "broken_vm")
	shot(t, ctx, dir, "6-failed-with-its-incident")
	accessible(t, ctx, dir, "failed deployment")

	// The resources say which failed and why; the provider selection lists both providers, each tried in turn.
	run(t, ctx, dir, "failed resource", 10*time.Second,
		chromedp.Click(css(`[role=tab][data-tab=resources]`)),
		chromedp.WaitVisible(css(`tr[data-node=broken_vm] .error-text`)),
		chromedp.Click(css(`[role=tab][data-tab=providers]`)),
		chromedp.WaitVisible(css(`table.selection tr[data-provider=sim-b]`)))
	cause := get(t, ctx, dir, "cause", 5*time.Second, chromedp.TextContent(css(`tr[data-node=broken_vm] .error-text`)))
	assert.Contains(t, cause, "create-resource on sim-")
	candidates := get(t, ctx, dir, "candidates", 5*time.Second, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('table.selection tbody tr')).map((r) => r.dataset.provider)`))
	assert.ElementsMatch(t, []string{"sim-a", "sim-b"}, candidates)
	shot(t, ctx, dir, "6b-provider-selection")
	run(t, ctx, dir, "back to the plan", 5*time.Second, chromedp.Click(css(`[role=tab][data-tab=plan]`)))

	// Delete it: a modal dialog asks first (its safe answer has the focus), then the page follows the undeployment
	// until the deployment is gone.
	run(t, ctx, dir, "delete dialog", 10*time.Second,
		chromedp.Click(css(`.summary button.danger`)),
		chromedp.WaitVisible(css(`dialog[open] button.danger`)))
	focus := get(t, ctx, dir, "dialog focus", 5*time.Second, chromedp.Evaluate[string](`document.activeElement.textContent`))
	assert.Equal(t, "Keep it", focus)
	shot(t, ctx, dir, "7-delete-dialog")
	run(t, ctx, dir, "deleted", 60*time.Second,
		chromedp.Click(css(`dialog[open] button.danger`)),
		chromedp.WaitVisible(css(`.summary a[href="#/"]`)))
	gone := get(t, ctx, dir, "gone", 5*time.Second, chromedp.Text(css(`.summary`)))
	assert.Contains(t, gone, "does not exist")

	// The list shows the shop; its filter finds no failed deployment any more.
	id = post(t, base, "broken.yaml")
	run(t, ctx, dir, "list", 60*time.Second,
		chromedp.Navigate(base+"/ui/#/"),
		chromedp.WaitVisible(css(`tr[data-id="`+id+`"] [data-status=CREATE_FAILED]`)),
		chromedp.SetValue(css(`.filters select`), "FAILED"),
		script(`document.querySelector('.filters select').dispatchEvent(new Event('change'))`))
	rows := get(t, ctx, dir, "rows", 5*time.Second, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('tbody tr')).map((r) => r.dataset.id)`))
	assert.Equal(t, []string{id}, rows)
	shot(t, ctx, dir, "8-list-filtered")
	accessible(t, ctx, dir, "list")
}

// post creates a deployment of testdata/name through the API and returns its id.
func post(t *testing.T, base, name string) string {
	t.Helper()
	tmpl, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	body, err := json.Marshal(map[string]any{"template": string(tmpl)})
	require.NoError(t, err)
	resp, err := http.Post(base+"/deployments", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var d struct {
		UUID string `json:"uuid"`
	}
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&d))
	return d.UUID
}

// status reads a deployment's status through the API.
func status(t *testing.T, base, id string) string {
	t.Helper()
	resp, err := http.Get(base + "/deployments/" + id)
	require.NoError(t, err)
	defer resp.Body.Close()
	var d struct {
		Status string `json:"status"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&d))
	return d.Status
}

// lineOf is the 1-based line of the first occurrence of s in file.
func lineOf(t *testing.T, file, s string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	i := bytes.Index(data, []byte(s))
	require.GreaterOrEqual(t, i, 0, "%s not in %s", s, file)
	return bytes.Count(data[:i], []byte("\n")) + 1
}
