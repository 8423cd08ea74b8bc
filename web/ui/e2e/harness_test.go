package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/toscaflow/toscaflow/web/ui"
)

// need skips the test (fails it under CI) for a missing prerequisite.
func need(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set: .ci/ensure-tools.sh installs it)", what)
	}
	t.Skip(what)
}

// chromium finds the browser: $CHROMIUM, else Debian's chromium on PATH.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	need(t, false, "chromium not found (apt-get install chromium, or set CHROMIUM)")
	return ""
}

// repoRoot walks up from the working directory to go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "go.mod not found above the test")
		dir = parent
	}
}

// artifacts is the directory of this test's screenshots and logs (kept after the test).
func artifacts(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "testout", "e2e", t.Name())
	require.NoError(t, os.RemoveAll(dir))
	require.NoError(t, os.MkdirAll(dir, 0o750))
	return dir
}

// binary builds toscaflow (with the dashboard embedded) unless TOSCAFLOW_E2E_BIN names one.
func binary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TOSCAFLOW_E2E_BIN"); p != "" {
		return p
	}
	need(t, ui.Built(), "the dashboard's bundle is not built (cd web/ui && npm ci && npm run build)")
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go tool")
	bin := filepath.Join(t.TempDir(), "toscaflow")
	cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/toscaflow")
	cmd.Dir = repoRoot(t)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// serve starts `toscaflow serve` on the simulated cloud of simConfig, with the extra flags, logging into dir,
// and returns its base URL once /healthz answers 200.
func serve(t *testing.T, bin, simConfig, dir string, extra ...string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	logf, err := os.Create(filepath.Join(dir, "serve.log"))
	require.NoError(t, err)
	cmd := exec.Command(bin, "serve", "--data", t.TempDir(), "--listen", addr, "--sim-config", simConfig,
		"--check-period", "100ms", "--log-level", "debug")
	cmd.Args = append(cmd.Args, extra...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		logf.Close()
	})
	base := "http://" + addr
	client := &http.Client{Timeout: time.Second}
	require.Eventually(t, func() bool {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("toscaflow serve exited before it was ready (%v): see %s", err, logf.Name())
		default:
		}
		resp, err := client.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 30*time.Second, 20*time.Millisecond, "toscaflow serve never became healthy")
	return base
}

// browser starts headless Chromium with the flags this machine needs (no background connections: the
// network is closed) and returns a chromedp context for one tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	require.NoError(t, chromedp.Do(ctx), "start chromium")
	return ctx
}

// run runs browser steps within timeout, saving a screenshot of the page when they fail.
func run(t *testing.T, ctx context.Context, dir, step string, timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	get(t, ctx, dir, step, timeout, chromedp.Steps(steps...))
}

// get runs one browser action within timeout and returns its value, saving a screenshot when it fails.
func get[T any](t *testing.T, ctx context.Context, dir, step string, timeout time.Duration, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		shot(t, ctx, dir, "failed-"+step)
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// script runs JavaScript for its effect (the expression's value is ignored).
func script(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[any]("(() => { "+expr+"; return true })()")(ctx, tg)
		return chromedp.Void{}, err
	}
}

// shot saves a full-page screenshot as dir/name.png.
func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o640); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	t.Logf("screenshot: %s", p)
}

// jsString quotes s as a JavaScript string literal (JSON is a subset of JavaScript).
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("marshal a string: %v", err))
	}
	return string(b)
}
