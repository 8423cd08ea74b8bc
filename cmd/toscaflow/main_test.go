package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestRunDispatch(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{name: "no args", args: nil, wantCode: exitUsage, wantErr: "Usage: toscaflow"},
		{name: "help", args: []string{"help"}, wantCode: exitOK, wantOut: "version"},
		{name: "unknown", args: []string{"frobnicate"}, wantCode: exitUsage, wantErr: `unknown command "frobnicate"`},
		{name: "version", args: []string{"version"}, wantCode: exitOK, wantOut: "toscaflow dev"},
		{name: "version bad flag", args: []string{"version", "-nope"}, wantCode: exitUsage, wantErr: "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, &out, &errb)
			if code != tc.wantCode {
				t.Fatalf("exit code = %d, want %d (stderr: %s)", code, tc.wantCode, errb.String())
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("stdout %q does not contain %q", out.String(), tc.wantOut)
			}
			if !strings.Contains(errb.String(), tc.wantErr) {
				t.Errorf("stderr %q does not contain %q", errb.String(), tc.wantErr)
			}
		})
	}
}

func TestVersionJSON(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"version", "-json"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var bi BuildInfo
	if err := json.Unmarshal(out.Bytes(), &bi); err != nil {
		t.Fatalf("version -json is not JSON: %v\n%s", err, out.String())
	}
	if bi.Version != "dev" || !strings.HasPrefix(bi.GoVersion, "go") {
		t.Errorf("unexpected build info %+v", bi)
	}
}
