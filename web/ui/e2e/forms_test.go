package e2e

import (
	"archive/zip"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/web"
	"github.com/toscaflow/toscaflow/web/ui"
)

// refusing is a deployments service that lists nothing and refuses every creation with a problem at line 9
// of the template, recording the requests it got.
type refusing struct {
	web.Deployments
	creates chan web.CreateRequest
}

func (refusing) List(context.Context, store.DeploymentFilter, store.Page) (store.Paged[*store.Deployment], error) {
	return store.Paged[*store.Deployment]{}, nil
}

func (r refusing) Create(_ context.Context, req web.CreateRequest) (*store.Deployment, error) {
	r.creates <- req
	return nil, &web.ProblemsError{Summary: "invalid deployment request",
		Problems: []string{`template.yaml:9:9: input "replicas": refused by this test`}}
}

// TestCSARAndInputsForm loads a CSAR, checks the inputs form it generates (types, constraints, required fields),
// that invalid values are caught at their fields before anything is sent, and that the server's refusal shows
// at the template line it names.
func TestCSARAndInputsForm(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: drives Chromium")
	}
	need(t, ui.Built(), "the dashboard's bundle is not built (cd web/ui && npm ci && npm run build)")
	ctx := browser(t)
	dir := artifacts(t)
	csar := writeCSAR(t, filepath.Join("testdata", "forms.yaml"))

	deps := refusing{creates: make(chan web.CreateRequest, 4)}
	api, err := web.New(web.Config{}, web.Deps{Deployments: deps}, nil)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	base := "http://" + ln.Addr().String()

	// The CSAR's entry definitions are loaded and validated; the form has one field per input.
	run(t, ctx, dir, "load the CSAR", 30*time.Second,
		chromedp.Navigate(base+"/ui/#/new"),
		chromedp.WaitReady(css(`input[type=file]`)),
		chromedp.SetUploadFiles(css(`input[type=file]`), []string{csar}),
		chromedp.WaitVisible(css(`.validity.ok`)),
		chromedp.WaitVisible(css(`input[data-input=replicas]`)))
	form := get(t, ctx, dir, "form", 5*time.Second, chromedp.Evaluate[map[string]string](`(() => {
		const f = (n) => document.querySelector('[data-input=' + n + ']');
		const hint = (n) => document.getElementById(f(n).id + '-hint').textContent;
		return {
			replicas: f('replicas').type + ' ' + f('replicas').min + '..' + f('replicas').max + ' ' + f('replicas').getAttribute('aria-required'),
			replicasHint: hint('replicas'), emailHint: hint('admin_email'),
			debug: f('debug').type, tags: f('tags').tagName + ' ' + hint('tags'),
			label: document.querySelector('label[for="' + f('replicas').id + '"]').textContent,
		};
	})()`))
	assert.Equal(t, "number 1..5 true", form["replicas"])
	assert.Contains(t, form["replicasHint"], "How many machines to run.")
	assert.Contains(t, form["replicasHint"], "between 1 and 5")
	assert.Contains(t, form["replicasHint"], "required")
	assert.Contains(t, form["emailHint"], "matching [^@ ]+@[^@ ]+")
	assert.Equal(t, "checkbox", form["debug"])
	assert.Equal(t, "TEXTAREA list of string · optional", form["tags"])
	assert.Contains(t, form["label"], "replicas")
	unlabelled := get(t, ctx, dir, "labels", 5*time.Second, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('input, select, textarea'))
		.filter((e) => !e.labels.length && !e.getAttribute('aria-label')).map((e) => e.outerHTML)`))
	assert.Empty(t, unlabelled, "every field has a label")

	// Invalid values are caught at their fields; the first one gets the focus; nothing is sent.
	run(t, ctx, dir, "invalid inputs", 10*time.Second,
		chromedp.SetValue(css(`[data-input=replicas]`), "9"),
		chromedp.SetValue(css(`[data-input=admin_email]`), "nobody"),
		chromedp.SetValue(css(`[data-input=tags]`), "not json"),
		chromedp.Click(css(`form.new-deployment button[type=submit]`)),
		chromedp.WaitVisible(css(`.form-error`)))
	errs := get(t, ctx, dir, "field errors", 5*time.Second, chromedp.Evaluate[map[string]string](`(() => {
		const e = (n) => document.getElementById(document.querySelector('[data-input=' + n + ']').id + '-error').textContent;
		return { replicas: e('replicas'), email: e('admin_email'), tags: e('tags'),
			invalid: document.querySelector('[data-input=replicas]').getAttribute('aria-invalid'),
			focus: document.activeElement.dataset.input || '' };
	})()`))
	assert.Equal(t, "The value must be between 1 and 5.", errs["replicas"])
	assert.Equal(t, "The value must match the pattern [^@ ]+@[^@ ]+.", errs["email"])
	assert.Contains(t, errs["tags"], "Enter a JSON list")
	assert.Equal(t, "true", errs["invalid"])
	assert.Equal(t, "replicas", errs["focus"])
	assert.Empty(t, deps.creates, "nothing is sent while inputs are invalid")
	shot(t, ctx, dir, "1-invalid-inputs")
	accessible(t, ctx, dir, "invalid inputs")

	// Valid values are sent with their types; the server's refusal shows at the line it names.
	run(t, ctx, dir, "valid inputs", 20*time.Second,
		chromedp.SetValue(css(`[data-input=replicas]`), "3"),
		chromedp.SetValue(css(`[data-input=admin_email]`), "ops@example.org"),
		chromedp.SetValue(css(`[data-input=tags]`), `["blue", "green"]`),
		chromedp.Click(css(`form.new-deployment button[type=submit]`)),
		chromedp.WaitVisible(css(`.problems li[data-line="9"]`)),
		chromedp.WaitVisible(css(`.gutter .has-problem[data-line="9"]`)))
	select {
	case req := <-deps.creates:
		assert.Equal(t, map[string]any{"replicas": int64(3), "admin_email": "ops@example.org", "debug": false,
			"tags": []any{"blue", "green"}}, req.Parameters)
	case <-time.After(5 * time.Second):
		t.Fatal("the deployment request never reached the server")
	}
	shot(t, ctx, dir, "2-refused-at-its-line")
}

// writeCSAR zips entry as definitions/<name> with a TOSCA.meta naming it, and returns the archive's path.
func writeCSAR(t *testing.T, entry string) string {
	t.Helper()
	data, err := os.ReadFile(entry)
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "forms.csar")
	f, err := os.Create(p)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	name := "definitions/" + filepath.Base(entry)
	for _, file := range []struct{ name, body string }{
		{"TOSCA-Metadata/TOSCA.meta", "TOSCA-Meta-File-Version: 1.1\nCSAR-Version: 1.1\nCreated-By: toscaflow tests\nEntry-Definitions: " + name + "\n"},
		{name, string(data)},
	} {
		w, err := zw.Create(file.name)
		require.NoError(t, err)
		_, err = w.Write([]byte(file.body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	return p
}
