package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Set at link time by the Makefile (-ldflags -X); the defaults describe a plain `go build`.
var (
	version   = "dev"
	revision  = ""
	buildTime = ""
)

// BuildInfo is what `toscaflow version` prints and what GET /info will serve.
type BuildInfo struct {
	Version   string `json:"version"`
	Revision  string `json:"revision,omitempty"`
	BuildTime string `json:"buildTime,omitempty"`
	GoVersion string `json:"goVersion"`
}

func buildInfo() BuildInfo {
	bi := BuildInfo{Version: version, Revision: revision, BuildTime: buildTime, GoVersion: runtime.Version()}
	if bi.Revision == "" {
		// Fall back on what the Go toolchain stamped into the binary when built from a VCS checkout.
		if info, ok := debug.ReadBuildInfo(); ok {
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					bi.Revision = s.Value
				case "vcs.time":
					if bi.BuildTime == "" {
						bi.BuildTime = s.Value
					}
				}
			}
		}
	}
	return bi
}

func init() {
	register("version", command{summary: "print the version of this binary", run: runVersion})
}

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the build information as JSON")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	bi := buildInfo()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(bi); err != nil {
			return exitUsage
		}
		return exitOK
	}
	fmt.Fprintf(stdout, "toscaflow %s", bi.Version)
	if bi.Revision != "" {
		fmt.Fprintf(stdout, " (%s)", bi.Revision)
	}
	if bi.BuildTime != "" {
		fmt.Fprintf(stdout, " built %s", bi.BuildTime)
	}
	fmt.Fprintf(stdout, " %s\n", bi.GoVersion)
	return exitOK
}
