// Command toscaflow is the single toscaflow binary: it validates TOSCA templates, turns them into BPMN
// provisioning plans, and (from the orchestration core on) serves the REST API and runs the plans.
//
// Every subcommand lives in a file of its own and registers itself in commands; main only builds the
// signal-aware context and maps the outcome to an exit code.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// Exit codes shared by every subcommand.
const (
	exitOK      = 0
	exitInvalid = 1 // the input was read but is not valid (validate, plan)
	exitUsage   = 2 // bad flags, unreadable files, I/O errors
)

// command is one subcommand. run returns the process exit code; it writes results to stdout and
// diagnostics to stderr so that the binary composes in shell pipelines.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands is the one place where subcommands are registered (see register).
var commands = map[string]command{}

// register adds a subcommand; a duplicate name is a programming error.
func register(name string, c command) {
	if _, dup := commands[name]; dup {
		panic("toscaflow: duplicate command " + name)
	}
	commands[name] = c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand; it is separate from main so that tests drive the CLI in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "toscaflow: unknown command %q\n\n", name)
		usage(stderr)
		return exitUsage
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: toscaflow <command> [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'toscaflow <command> -h' for the flags of a command.")
}
