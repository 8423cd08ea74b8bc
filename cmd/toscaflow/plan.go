package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/toscaflow/toscaflow/bpmn"
	"github.com/toscaflow/toscaflow/bpmn/bpmnxml"
	"github.com/toscaflow/toscaflow/tosca2bpmn"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca"
	"github.com/toscaflow/toscaflow/tosca2bpmn/tosca/resolve"
)

func init() {
	register("plan", command{summary: "write the BPMN provisioning plan of a TOSCA template", run: runPlan})
}

func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: toscaflow plan [--inputs FILE] [-i name=value]... [--mirror URL=DIR]... [-o FILE] [--undeploy] TEMPLATE")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Writes the BPMN 2.0 deployment plan (or with --undeploy the undeploy plan) of TEMPLATE, with its diagram.")
		fmt.Fprintln(stderr, "Exit status: 0 plan written, 1 the template is invalid or cannot be planned, 2 usage or I/O error.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	inputsFile := fs.String("inputs", "", "YAML or JSON `FILE` with a map of input values")
	var inputs, mirrors listFlag
	fs.Var(&inputs, "i", "input value `name=value` (value read as YAML: 8 is an integer); repeatable")
	fs.Var(&mirrors, "mirror", "serve imports under `URL=DIR` from a local directory; repeatable")
	out := fs.String("o", "", "write the plan to `FILE` instead of standard output")
	undeploy := fs.Bool("undeploy", false, "write the undeploy plan (dependents first)")
	checkPeriod := fs.Duration("check-period", tosca2bpmn.DefaultCheckPeriod, "pause between two status checks of a unit being created")
	timeout := fs.Duration("timeout", tosca2bpmn.DefaultTimeout, "how long a unit may take to be created")
	retries := fs.Int("retries", tosca2bpmn.DefaultRetries, "how many times a failed creation is retried (0: none)")
	// Flags may come after the template too (toscaflow plan app.yaml -o plan.bpmn).
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, "toscaflow plan: give exactly one template")
		fs.Usage()
		return exitUsage
	}
	file := files[0]
	values, err := readInputs(*inputsFile, inputs)
	if err != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", err)
		return exitUsage
	}
	ms, err := resolve.ParseMirrors(mirrors)
	if err != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", err)
		return exitUsage
	}
	res, err := resolve.New(resolve.Options{Mirrors: ms})
	if err != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", err)
		return exitUsage
	}
	if err := readable(file); err != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", err)
		return exitUsage
	}
	opts := tosca2bpmn.Options{CheckPeriod: *checkPeriod, Timeout: *timeout, Retries: *retries}
	if *retries == 0 {
		opts.Retries = -1 // the flag's 0 means no retry; the option's 0 means the default
	}
	if err := opts.Validate(); err != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", err)
		return exitUsage
	}
	st, ps := tosca.Parse(ctx, file, tosca.Options{Resolver: res, Inputs: values})
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", ctx.Err())
		return exitUsage
	}
	for _, p := range ps {
		fmt.Fprintln(stderr, p.String())
	}
	if ps.HasErrors() {
		return exitInvalid
	}
	var defs *bpmn.Definitions
	if *undeploy {
		defs, err = tosca2bpmn.TranslateUndeploy(st, opts)
	} else {
		defs, err = tosca2bpmn.Translate(st, opts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %s: %v\n", file, err)
		return exitInvalid
	}
	data, err := bpmnxml.Marshal(defs)
	if err != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", err)
		return exitUsage
	}
	if *out == "" {
		_, err = stdout.Write(data)
	} else {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", err)
		return exitUsage
	}
	return exitOK
}
