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
)

func init() {
	register("plan", command{summary: "write the BPMN provisioning plan of a TOSCA template", run: runPlan})
}

func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: toscaflow plan [--inputs FILE] [-i name=value]... [--mirror URL=DIR]... [-o FILE] [--undeploy | --from OLD] TEMPLATE")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Writes the BPMN 2.0 deployment plan of TEMPLATE with its diagram; with --undeploy its undeploy plan; with")
		fmt.Fprintln(stderr, "--from the update plan from the deployed template OLD (read with the same inputs) to TEMPLATE.")
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
	from := fs.String("from", "", "write the update plan from the template `OLD` to TEMPLATE")
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
	if *undeploy && *from != "" {
		fmt.Fprintln(stderr, "toscaflow plan: --undeploy and --from exclude each other")
		return exitUsage
	}
	values, res, err := templateSources(*inputsFile, inputs, mirrors)
	if err != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", err)
		return exitUsage
	}
	for _, f := range []string{file, *from} {
		if f == "" {
			continue
		}
		if err := readable(f); err != nil {
			fmt.Fprintf(stderr, "toscaflow plan: %v\n", err)
			return exitUsage
		}
	}
	opts := tosca2bpmn.Options{CheckPeriod: *checkPeriod, Timeout: *timeout, Retries: *retries}
	if *retries == 0 {
		opts.Retries = -1 // the flag's 0 means no retry; the option's 0 means the default
	}
	if err := opts.Validate(); err != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", err)
		return exitUsage
	}
	parse := func(f string) (*tosca.ServiceTemplate, bool) {
		st, ps := tosca.Parse(ctx, f, tosca.Options{Resolver: res, Inputs: values})
		for _, p := range ps {
			fmt.Fprintln(stderr, p.String())
		}
		return st, !ps.HasErrors()
	}
	st, ok := parse(file)
	var old *tosca.ServiceTemplate
	if ok && *from != "" {
		old, ok = parse(*from)
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "toscaflow plan: %v\n", ctx.Err())
		return exitUsage
	}
	if !ok {
		return exitInvalid
	}
	var defs *bpmn.Definitions
	switch {
	case *undeploy:
		defs, err = tosca2bpmn.TranslateUndeploy(st, opts)
	case old != nil:
		defs, err = tosca2bpmn.TranslateUpdate(old, st, opts)
	default:
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
