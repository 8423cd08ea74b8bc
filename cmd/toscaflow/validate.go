package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/resolve"
)

func init() {
	register("validate", command{summary: "check TOSCA templates (YAML files or CSAR archives)", run: runValidate})
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// validateResult is the --json form of one file's outcome.
type validateResult struct {
	File     string         `json:"file"`
	Valid    bool           `json:"valid"`
	Version  string         `json:"version,omitempty"`
	Nodes    int            `json:"nodeTemplates"`
	Problems tosca.Problems `json:"problems"`
	Error    string         `json:"error,omitempty"` // the file could not be read (exit status 2)
}

func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: toscaflow validate [--inputs FILE] [-i name=value]... [--mirror URL=DIR]... [--json] FILE...")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Exit status: 0 every file is valid, 1 some file is invalid, 2 usage or I/O error.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	inputsFile := fs.String("inputs", "", "YAML or JSON `FILE` with a map of input values")
	var inputs, mirrors listFlag
	fs.Var(&inputs, "i", "input value `name=value` (value read as YAML: 8 is an integer); repeatable")
	fs.Var(&mirrors, "mirror", "serve imports under `URL=DIR` from a local directory; repeatable")
	asJSON := fs.Bool("json", false, "print one JSON object per file on stdout")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "toscaflow validate: no file given")
		fs.Usage()
		return exitUsage
	}
	values, res, err := templateSources(*inputsFile, inputs, mirrors)
	if err != nil {
		fmt.Fprintf(stderr, "toscaflow validate: %v\n", err)
		return exitUsage
	}
	code := exitOK
	enc := json.NewEncoder(stdout)
	for _, file := range fs.Args() {
		if err := readable(file); err != nil {
			fmt.Fprintf(stderr, "toscaflow validate: %v\n", err)
			code = exitUsage
			if *asJSON {
				if err := enc.Encode(validateResult{File: file, Problems: tosca.Problems{}, Error: err.Error()}); err != nil {
					return exitUsage
				}
			}
			continue
		}
		st, ps := tosca.Parse(ctx, file, tosca.Options{Resolver: res, Inputs: values})
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "toscaflow validate: %v\n", ctx.Err())
			return exitUsage
		}
		valid := !ps.HasErrors()
		for _, p := range ps {
			fmt.Fprintln(stderr, p.String())
		}
		if *asJSON {
			r := validateResult{File: file, Valid: valid, Problems: ps}
			if r.Problems == nil {
				r.Problems = tosca.Problems{}
			}
			if st != nil {
				r.Version, r.Nodes = st.Version, len(st.NodeTemplates)
			}
			if err := enc.Encode(r); err != nil {
				fmt.Fprintf(stderr, "toscaflow validate: %v\n", err)
				return exitUsage
			}
		} else if valid {
			fmt.Fprintf(stdout, "%s: valid\n", file)
		}
		if !valid && code != exitUsage {
			code = exitInvalid
		}
	}
	return code
}

// readable reports a file that cannot be opened as a usage/I-O error rather than an invalid template.
func readable(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("%s is a directory", file)
	}
	return nil
}

// readInputs merges the --inputs file and the -i flags (which win).
func readInputs(file string, pairs []string) (map[string]any, error) {
	values := map[string]any{}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := yaml.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("inputs file %s: %w", file, err)
		}
		for k, v := range m {
			values[k] = v
		}
	}
	var bad []string
	for _, p := range pairs {
		name, raw, ok := strings.Cut(p, "=")
		if !ok || name == "" {
			bad = append(bad, p)
			continue
		}
		var v any
		if err := yaml.Unmarshal([]byte(raw), &v); err != nil {
			v = raw // not YAML: keep the text
		}
		values[name] = v
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return nil, errors.New("-i needs name=value, got " + strings.Join(bad, ", "))
	}
	return values, nil
}

// templateSources reads what plan and validate share: the input values (--inputs, -i) and a resolver with the
// import mirrors (--mirror). Its errors are usage errors.
func templateSources(inputsFile string, inputs, mirrors []string) (map[string]any, *resolve.Resolver, error) {
	values, err := readInputs(inputsFile, inputs)
	if err != nil {
		return nil, nil, err
	}
	ms, err := resolve.ParseMirrors(mirrors)
	if err != nil {
		return nil, nil, err
	}
	res, err := resolve.New(resolve.Options{Mirrors: ms})
	if err != nil {
		return nil, nil, err
	}
	return values, res, nil
}
