package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// violation is one failed rule of axe-core, with where it failed.
type violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeRun checks the page with axe-core's WCAG 2 A and AA rules (the diagram's SVG, drawn by bpmn-js, is left to
// its text alternative and the element list under it).
const axeRun = `axe.run({ exclude: [['.djs-container']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
	.then((r) => ({ passes: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact || '',
		help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })) }))`

// accessible fails the test with every WCAG violation axe-core finds on the page as it is now.
func accessible(t *testing.T, ctx context.Context, dir, page string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "web", "ui", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		need(t, false, "axe-core is not installed (cd web/ui && npm ci)")
	}
	run(t, ctx, dir, "axe "+page, 10*time.Second, script(string(src)))
	res := get(t, ctx, dir, "axe "+page, 30*time.Second, chromedp.Evaluate[struct {
		Passes     int         `json:"passes"`
		Violations []violation `json:"violations"`
	}](axeRun, chromedp.EvalAwaitPromise))
	if res.Passes == 0 {
		t.Errorf("%s: axe-core checked nothing", page)
	}
	t.Logf("%s: %d accessibility rules pass, %d fail", page, res.Passes, len(res.Violations))
	for _, v := range res.Violations {
		t.Errorf("%s: accessibility: %s (%s, %s) at %s", page, v.Help, v.ID, v.Impact, strings.Join(v.Targets, "; "))
	}
}
