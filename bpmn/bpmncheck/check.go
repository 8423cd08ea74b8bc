package bpmncheck

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrTool is wrapped by the errors of a checking tool that could not run or gave no verdict;
// problems found in the files are reported in Report, not as errors.
var ErrTool = errors.New("bpmn check tool")

// batchSize bounds the number of files per xmllint or node invocation (command-line length).
const batchSize = 200

// Report is what the checks found in one file. A file passes when OK reports true.
type Report struct {
	File string
	// XSDValid reports whether xmllint validated the file against BPMN20.xsd; XSDErrors are
	// xmllint's messages for the file.
	XSDValid  bool
	XSDErrors []string
	// ParseError is set when bpmn-moddle could not read the file at all.
	ParseError string
	// Warnings are bpmn-moddle import warnings (what bpmn.io would show on import).
	Warnings []string
	// DI lists diagram-interchange problems (missing shapes or edges, duplicates, ...).
	DI []DIProblem
	// Lint lists the bpmnlint:recommended reports, errors and warnings.
	Lint []LintProblem
}

// DIProblem is one diagram-interchange problem found by validate.mjs.
type DIProblem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// LintProblem is one bpmnlint report; Category is "error" or "warn".
type LintProblem struct {
	Rule     string `json:"rule"`
	ID       string `json:"id"`
	Message  string `json:"message"`
	Category string `json:"category"`
}

// OK reports whether the file is schema-valid, imports without warning, has complete DI and no
// bpmnlint error.
func (r Report) OK() bool { return len(r.Problems()) == 0 }

// Problems lists everything that makes the file fail, one line each; lint warnings are included
// only through LintWarnings.
func (r Report) Problems() []string {
	var out []string
	if !r.XSDValid {
		if len(r.XSDErrors) == 0 {
			out = append(out, "xsd: not valid")
		}
		for _, e := range r.XSDErrors {
			out = append(out, "xsd: "+e)
		}
	}
	if r.ParseError != "" {
		out = append(out, "parse: "+r.ParseError)
	}
	for _, w := range r.Warnings {
		out = append(out, "import warning: "+w)
	}
	for _, d := range r.DI {
		out = append(out, "di["+d.Code+"]: "+d.Message)
	}
	for _, l := range r.Lint {
		if l.Category == "error" {
			out = append(out, fmt.Sprintf("lint %s %s: %s", l.Rule, l.ID, l.Message))
		}
	}
	return out
}

// LintWarnings lists the bpmnlint reports of category "warn".
func (r Report) LintWarnings() []string {
	var out []string
	for _, l := range r.Lint {
		if l.Category != "error" {
			out = append(out, fmt.Sprintf("lint %s %s: %s", l.Rule, l.ID, l.Message))
		}
	}
	return out
}

// Check runs xmllint and validate.mjs --lint over files (many per invocation) and returns a
// report per file, keyed by the file name as given.
func Check(ctx context.Context, files ...string) (map[string]Report, error) {
	out := make(map[string]Report, len(files))
	abs := make([]string, len(files))
	for i, f := range files {
		a, err := filepath.Abs(f)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", f, err)
		}
		// A missing file would stop validate.mjs for the whole batch: say which one it is.
		if _, err := os.Stat(a); err != nil {
			return nil, fmt.Errorf("check %s: %w", f, err)
		}
		abs[i] = a
		out[f] = Report{File: f}
	}
	for start := 0; start < len(files); start += batchSize {
		end := min(start+batchSize, len(files))
		if err := xsdBatch(ctx, files[start:end], abs[start:end], out); err != nil {
			return nil, err
		}
		if err := nodeBatch(ctx, files[start:end], abs[start:end], out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// xsdBatch validates abs with one xmllint run. xmllint ends each file with "F validates" or
// "F fails to validate" and prefixes its messages with "F:line:".
func xsdBatch(ctx context.Context, names, abs []string, out map[string]Report) error {
	xsd, err := XSDPath()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrTool, err)
	}
	args := append([]string{"--noout", "--schema", xsd}, abs...)
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "xmllint", args...)
	cmd.Stderr = &stderr
	runErr := cmd.Run()
	var exitErr *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exitErr) {
		return fmt.Errorf("%w: xmllint: %w", ErrTool, runErr)
	}
	lines := strings.Split(stderr.String(), "\n")
	for i, a := range abs {
		r := out[names[i]]
		for _, l := range lines {
			switch {
			case l == a+" validates":
				r.XSDValid = true
			case strings.HasPrefix(l, a+":"):
				r.XSDErrors = append(r.XSDErrors, strings.TrimPrefix(l, a+":"))
			}
		}
		out[names[i]] = r
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w: xmllint: %w", ErrTool, ctx.Err())
	}
	return nil
}

// nodeResult is one entry of `validate.mjs --json`.
type nodeResult struct {
	File       string  `json:"file"`
	ParseError *string `json:"parseError"`
	Warnings   []struct {
		Message string `json:"message"`
	} `json:"warnings"`
	DI   []DIProblem   `json:"di"`
	Lint []LintProblem `json:"lint"`
}

// nodeBatch runs validate.mjs --json --lint over abs in one node process.
func nodeBatch(ctx context.Context, names, abs []string, out map[string]Report) error {
	dir, err := Installed(ctx)
	if err != nil {
		return err
	}
	args := append([]string{filepath.Join(dir, "validate.mjs"), "--json", "--lint"}, abs...)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var results []nodeResult
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil || len(results) != len(abs) {
		return fmt.Errorf("%w: validate.mjs gave no report for %d files (%v, decode: %v): %s",
			ErrTool, len(abs), runErr, err, firstLines(stderr.String(), 5))
	}
	for i, res := range results {
		r := out[names[i]]
		if res.ParseError != nil {
			r.ParseError = *res.ParseError
		}
		for _, w := range res.Warnings {
			r.Warnings = append(r.Warnings, firstLines(w.Message, 1))
		}
		r.DI, r.Lint = res.DI, res.Lint
		out[names[i]] = r
	}
	return nil
}

func firstLines(s string, n int) string {
	var b strings.Builder
	sc := bufio.NewScanner(strings.NewReader(s))
	for i := 0; i < n && sc.Scan(); i++ {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(sc.Text())
	}
	return b.String()
}
