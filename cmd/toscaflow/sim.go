package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/toscaflow/toscaflow/connectors/sim"
)

// defaultDataDir holds the store and the simulated cloud's ledger unless --data says otherwise.
const defaultDataDir = "toscaflow-data"

// simLedgerFile is the ledger's file name in the data directory.
const simLedgerFile = "sim.db"

func init() {
	register("sim", command{summary: "inspect the simulated cloud (sim ls: its resource ledger)", run: runSim})
}

func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "ls" {
		fmt.Fprintln(stderr, "Usage: toscaflow sim ls [--db FILE] [--json]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return exitOK
		}
		return exitUsage
	}
	return runSimLs(ctx, args[1:], stdout, stderr)
}

// runSimLs lists the resources of the ledger, read only, so that it works while a server runs.
func runSimLs(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sim ls", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", filepath.Join(defaultDataDir, simLedgerFile), "the simulated cloud's ledger `file`")
	asJSON := fs.Bool("json", false, "print the resources as a JSON array")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "toscaflow sim ls: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	rs, err := sim.ReadLedger(ctx, *db)
	if err != nil {
		fmt.Fprintf(stderr, "toscaflow sim ls: %v\n", err)
		return exitUsage
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rs); err != nil {
			fmt.Fprintf(stderr, "toscaflow sim ls: %v\n", err)
			return exitUsage
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tDEPLOYMENT\tNAME\tSERVICE\tTYPE\tID\tSTATE\tCREATED")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Provider, r.Deployment, r.Name, r.Service, r.Type, r.ID,
			r.State, r.CreatedAt.UTC().Format(time.RFC3339))
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(stderr, "toscaflow sim ls: %v\n", err)
		return exitUsage
	}
	return exitOK
}
