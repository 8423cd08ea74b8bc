package bpmncheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// ErrRender is wrapped by the error of Render when bpmn-js did not draw the file cleanly.
var ErrRender = errors.New("render")

// chromiumSlot lets one Chromium run at a time: a browser is heavy and the machine is shared.
var chromiumSlot = make(chan struct{}, 1)

// Chromium returns the Chromium binary: $TOSCAFLOW_CHROMIUM, else chromium (or
// chromium-browser) on PATH.
func Chromium() (string, error) {
	if p := os.Getenv("TOSCAFLOW_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("chromium: %w on PATH (set TOSCAFLOW_CHROMIUM)", ErrNotFound)
}

// statusRE finds the status line the render page writes once bpmn-js has imported the file.
var statusRE = regexp.MustCompile(`<div id="status">([^<]*)</div>`)

// cleanStatusRE matches the status of an import with no warning.
var cleanStatusRE = regexp.MustCompile(`^OK: \d+ elements, 0 import warnings$`)

// Render draws file with bpmn-js in headless Chromium and returns the page's status line
// ("OK: N elements, 0 import warnings"). When png is not empty it also writes a screenshot there.
// The error wraps ErrRender when the status is anything but a clean import.
func Render(ctx context.Context, file, png string) (string, error) {
	dir, err := Installed(ctx)
	if err != nil {
		return "", err
	}
	browser, err := Chromium()
	if err != nil {
		return "", fmt.Errorf("%w %s: %w", ErrRender, file, err)
	}
	xml, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%w %s: %w", ErrRender, file, err)
	}
	page, err := writePage(dir, xml)
	if err != nil {
		return "", fmt.Errorf("%w %s: %w", ErrRender, file, err)
	}
	defer os.Remove(page)

	// One browser run both prints the DOM and takes the screenshot: a start costs seconds.
	actions := []string{"--dump-dom"}
	abs := ""
	if png != "" {
		if abs, err = filepath.Abs(png); err != nil {
			return "", fmt.Errorf("%w %s: %w", ErrRender, file, err)
		}
		os.Remove(abs) // a stale screenshot must not pass for a new one
		actions = append(actions, "--screenshot="+abs)
	}
	dom, err := runChromium(ctx, browser, page, actions...)
	if err != nil {
		return "", fmt.Errorf("%w %s: %w", ErrRender, file, err)
	}
	m := statusRE.FindSubmatch(dom)
	if m == nil {
		return "", fmt.Errorf("%w %s: no status line in the page", ErrRender, file)
	}
	status := html.UnescapeString(string(m[1]))
	if !cleanStatusRE.MatchString(status) {
		return status, fmt.Errorf("%w %s: %s", ErrRender, file, status)
	}
	if abs != "" {
		if _, err := os.Stat(abs); err != nil {
			return status, fmt.Errorf("%w %s: screenshot: %w", ErrRender, file, err)
		}
	}
	return status, nil
}

// writePage builds the render page for xml inside the installed tool's render/ directory, so
// that its relative ../node_modules paths resolve (what render/make-page.sh does).
func writePage(dir string, xml []byte) (string, error) {
	renderDir := filepath.Join(dir, "render")
	head, err := os.ReadFile(filepath.Join(renderDir, "head.html"))
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	b.Write(head)
	b.WriteString("<script src=\"app.js\"></script>\n")
	b.WriteString("<script type=\"text/plain\" id=\"xml\">\n")
	// The XML sits in a script element: only "</script" could end it early.
	b.WriteString(strings.ReplaceAll(string(xml), "</script", `<\/script`))
	b.WriteString("\n</script>\n")
	b.WriteString("<script>render(document.getElementById('xml').textContent);</script></body></html>\n")
	f, err := os.CreateTemp(renderDir, "page-*.html")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), f.Close()
}

// runChromium opens page in a headless browser with a throw-away profile and returns stdout.
func runChromium(ctx context.Context, browser, page string, actions ...string) ([]byte, error) {
	select {
	case chromiumSlot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-chromiumSlot }()
	profile, err := os.MkdirTemp("", "toscaflow-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile, "--virtual-time-budget=10000", "--window-size=1600,1000",
	}
	args = append(args, actions...)
	args = append(args, "file://"+page)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, browser, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("chromium: %w: %s", err, firstLines(stderr.String(), 3))
	}
	return stdout.Bytes(), nil
}
