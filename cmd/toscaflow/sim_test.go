package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
)

func TestSimLs(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "sim.db")
	p, err := sim.NewProviders(ctx, sim.Config{Provider: "sim-a", Path: db, Seed: 7}, sim.Config{Provider: "sim-b", Path: db, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, req := range []connectors.Request{
		{Key: "k1", Deployment: "dep-1", Provider: "sim-b", Unit: connectors.Unit{ID: "db_server", Service: "compute", Node: connectors.Node{Name: "db_server"}}},
		{Key: "k2", Deployment: "dep-1", Provider: "sim-a", Unit: connectors.Unit{ID: "web_server", Service: "compute", Node: connectors.Node{Name: "web_server"}}},
	} {
		if _, err := p.CreateResource(ctx, req); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("table", func(t *testing.T) {
		var out, errb bytes.Buffer
		if code := run(ctx, []string{"sim", "ls", "--db", db}, &out, &errb); code != exitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "PROVIDER") {
			t.Fatalf("want a header and two rows, got:\n%s", out.String())
		}
		for i, want := range []string{"sim-a  ", "sim-b  "} {
			if !strings.HasPrefix(lines[i+1], want) || !strings.Contains(lines[i+1], "dep-1") {
				t.Errorf("row %d = %q, want provider %q and deployment dep-1 (by provider)", i+1, lines[i+1], want)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		var out, errb bytes.Buffer
		if code := run(ctx, []string{"sim", "ls", "--json", "--db", db}, &out, &errb); code != exitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		var rs []sim.Resource
		if err := json.Unmarshal(out.Bytes(), &rs); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out.String())
		}
		if len(rs) != 2 || rs[0].Name != "web_server" || rs[1].Name != "db_server" || rs[0].ID == "" {
			t.Errorf("unexpected resources %+v", rs)
		}
	})
	errCases := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"sim"}, "Usage: toscaflow sim ls"},
		{"unknown subcommand", []string{"sim", "rm"}, "Usage: toscaflow sim ls"},
		{"missing ledger", []string{"sim", "ls", "--db", filepath.Join(t.TempDir(), "none.db")}, "read ledger"},
		{"bad flag", []string{"sim", "ls", "--nope"}, "flag provided but not defined"},
		{"extra argument", []string{"sim", "ls", "--db", db, "x"}, "unexpected arguments"},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(ctx, tc.args, &out, &errb); code != exitUsage {
				t.Fatalf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(errb.String(), tc.want) {
				t.Errorf("stderr %q does not contain %q", errb.String(), tc.want)
			}
		})
	}
}
