# toscaflow — every developer and CI task goes through this file. `make help` lists the targets.

GO        ?= go
BIN       := bin/toscaflow
PKG       := github.com/toscaflow/toscaflow
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION  ?= $(shell git rev-parse HEAD 2>/dev/null)
BUILDTIME ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS   := -X main.version=$(VERSION) -X main.revision=$(REVISION) -X main.buildTime=$(BUILDTIME)

# The shared test corpus sits beside the repository; tests that need it skip (locally) when it is absent.
SHARED    ?= $(abspath $(CURDIR)/../shared)
export TOSCAFLOW_SHARED := $(SHARED)

# Two cores: keep package-level parallelism at 2 so that tests are not starved of CPU.
TESTFLAGS ?= -p 2 -count=1
BENCHFLAGS ?= -run '^$$' -bench . -benchmem

STATICCHECK_VERSION := v0.8.2

.PHONY: help build ui run test test-short bench bench-reference lint fmt fmt-check tools clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ui ## build bin/toscaflow (with the dashboard when npm is there)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/toscaflow

# The dashboard's bundle (web/ui/dist) is embedded by go:embed; without npm the binary still builds and /ui/ says how
# to build the bundle.
ui: ## bundle the dashboard (npm ci + esbuild into web/ui/dist)
	@if command -v npm >/dev/null 2>&1; then ./.ci/build-ui.sh; else echo "ui: npm not found, building without the dashboard bundle"; fi

run: build ## run toscaflow locally (see README: what runs today)
	./.ci/run-local.sh $(BIN)

tools: ## install what the tests need on a fresh Debian machine (idempotent)
	./.ci/ensure-tools.sh

test: tools fmt-check ## the whole suite, as CI runs it
	$(GO) vet ./...
	$(GO) test $(TESTFLAGS) ./...

test-short: ## unit tests only (no corpus sweeps, no external tools)
	$(GO) test -short $(TESTFLAGS) ./...

bench: ## benchmarks (figures in README and issue notes come from here)
	$(GO) test $(BENCHFLAGS) ./...

bench-reference: build ## the TOSCA reader beside the Python reference parser (Debian's python3-tosca-parser) on the same files
	./.ci/bench-reference.sh

fmt-check: ## fail when gofmt would change a tracked Go file
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

lint: fmt-check ## gofmt, go vet, staticcheck
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

fmt: ## format the Go sources
	gofmt -w $$(git ls-files '*.go')

clean: ## remove build outputs
	rm -rf bin testout web/ui/node_modules
	find web/ui/dist -mindepth 1 ! -name README.md -delete
