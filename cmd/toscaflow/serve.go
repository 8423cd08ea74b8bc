package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/toscaflow/toscaflow/connectors"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/esb"
	"github.com/toscaflow/toscaflow/esb/broker"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/processes/store"
	"github.com/toscaflow/toscaflow/registry"
	"github.com/toscaflow/toscaflow/web"
)

func init() {
	register("serve", command{summary: "serve the deployments API and run the plans on the simulated cloud", run: runServe})
}

// serveConfig is what the flags of `toscaflow serve` say.
type serveConfig struct {
	Addr        string
	AllowRemote bool
	DataDir     string
	// DB is the store's SQLite file; empty means <DataDir>/toscaflow.db.
	DB     string
	BusURL string
	// Bus tunes the service bus (0: esb's defaults).
	Bus busTuning
	// SimConfig is a YAML file of simulated providers (see loadSimConfigs); empty means one provider.
	SimConfig string
	// Catalogue is the provider catalogue's YAML file (registry.Catalogue); empty means the embedded one,
	// or the providers of SimConfig.
	Catalogue string
	// HealthPeriod is how often every provider's services are checked (0: registry's default, 30s).
	HealthPeriod time.Duration
	// AuthConfig is the YAML file of the trusted OpenID Connect issuers (web/auth.Config); empty turns
	// authentication off.
	AuthConfig string
	// Limits are the API's request limits (0: web's defaults).
	Limits   requestLimits
	LogLevel slog.Level
	// CheckPeriod is how often the plans check a unit being created (0: the translator's default).
	CheckPeriod time.Duration
	// ready, when set, is told the API's address once it listens (tests).
	ready func(net.Addr)
}

// busTuning are the flags of the service bus's settings that an operator may tune; esb validates them.
type busTuning struct {
	// Concurrency is how many commands (and replies) of a topic a server handles at once.
	Concurrency int
	// AckWait, MaxAckPending and MaxDeliveries apply to NATS only (esb.Config).
	AckWait                      time.Duration
	MaxAckPending, MaxDeliveries int
}

// requestLimits are the flags of web.Config's request limits; web validates them (negative is refused).
type requestLimits struct {
	BodyBytes, TemplateBytes int64
	NodeTemplates, InFlight  int
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseServeFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	if err := serve(ctx, cfg, log); err != nil {
		fmt.Fprintf(stderr, "toscaflow serve: %v\n", err)
		if invalidConfig(err) {
			return exitInvalid
		}
		return exitUsage
	}
	return exitOK
}

func parseServeFlags(args []string, stderr io.Writer) (serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c serveConfig
	fs.StringVar(&c.Addr, "listen", "127.0.0.1:8080", "listen `address` of the API (loopback unless --allow-remote)")
	fs.BoolVar(&c.AllowRemote, "allow-remote", false, "allow a non-loopback listen address although authentication is off")
	fs.StringVar(&c.DataDir, "data", defaultDataDir, "data `directory` (store and simulated cloud ledger)")
	fs.StringVar(&c.DB, "db", "", "the store's SQLite `file` (default <data>/toscaflow.db)")
	fs.StringVar(&c.BusURL, "bus", "", "service bus `URL`: empty for in-process, nats://host:port for NATS JetStream")
	fs.IntVar(&c.Bus.Concurrency, "bus-concurrency", 0, fmt.Sprintf(
		"most commands, and most replies, of one service type a server handles at once (default %d)", esb.DefaultConcurrency))
	fs.DurationVar(&c.Bus.AckWait, "bus-ack-wait", 0, fmt.Sprintf(
		"NATS: how soon the commands a killed server was handling are taken over, by another server or the restarted "+
			"one; a live server renews its commands every third of it, so a shorter `time` takes over sooner but has a "+
			"command handled twice whenever a live server cannot reach NATS that long (default %v, at least %v)",
		esb.DefaultAckWait, esb.MinAckWait))
	fs.IntVar(&c.Bus.MaxAckPending, "bus-max-ack-pending", 0, fmt.Sprintf(
		"NATS: most commands of one service type under way across all the servers on the bus, at least "+
			"--bus-concurrency; keep it at least servers × --bus-concurrency (default %d)", esb.DefaultMaxAckPending))
	fs.IntVar(&c.Bus.MaxDeliveries, "bus-max-deliveries", 0, fmt.Sprintf(
		"NATS: deliveries of a command (its servers dying while they handle it) before it fails as "+
			"too_many_deliveries (default %d)", esb.DefaultMaxDeliveries))
	fs.StringVar(&c.SimConfig, "sim-config", "", "YAML `file` of simulated providers (latencies, faults, seed)")
	fs.StringVar(&c.Catalogue, "catalogue", "", "provider catalogue YAML `file` (default: one simulated provider)")
	fs.DurationVar(&c.HealthPeriod, "health-period", 0, "`period` of the providers' health checks (default 30s)")
	fs.StringVar(&c.AuthConfig, "auth-config", "", "YAML `file` of the trusted OpenID Connect issuers (default: authentication off, loopback only)")
	fs.Int64Var(&c.Limits.BodyBytes, "max-body", 0, "largest request body in `bytes`, 413 beyond (default 4 MiB)")
	fs.Int64Var(&c.Limits.TemplateBytes, "max-template", 0, "largest template in `bytes`, 413 beyond (default 1 MiB)")
	fs.IntVar(&c.Limits.NodeTemplates, "max-nodes", 0, "most node templates in a template, 413 beyond (default 500)")
	fs.IntVar(&c.Limits.InFlight, "max-in-flight", 0, "most POST/PUT requests served at once, 429 with Retry-After beyond (default 16)")
	fs.DurationVar(&c.CheckPeriod, "check-period", 0, "`period` of the status checks of units being created (default 10s)")
	level := fs.String("log-level", "info", "log `level`: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "toscaflow serve: unexpected arguments %q\n", fs.Args())
		return c, errors.New("unexpected arguments")
	}
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(stderr, "toscaflow serve: --log-level: %v\n", err)
		return c, err
	}
	if c.DB == "" {
		c.DB = filepath.Join(c.DataDir, "toscaflow.db")
	}
	if err := c.validBus(fs); err != nil {
		fmt.Fprintf(stderr, "toscaflow serve: %v\n", err)
		return c, err
	}
	return c, nil
}

// natsOnlyFlags are the bus flags that mean nothing to the in-process bus.
var natsOnlyFlags = []string{"bus-ack-wait", "bus-max-ack-pending", "bus-max-deliveries"}

// validBus refuses the NATS flags without a NATS bus and the settings esb refuses.
func (c serveConfig) validBus(fs *flag.FlagSet) error {
	var errs []error
	if c.BusURL == "" {
		fs.Visit(func(f *flag.Flag) {
			if slices.Contains(natsOnlyFlags, f.Name) {
				errs = append(errs, fmt.Errorf("--%s applies to a NATS bus (--bus nats://host:port)", f.Name))
			}
		})
	}
	if err := c.busConfig().WithDefaults().Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// busConfig is the service bus's configuration.
func (c serveConfig) busConfig() esb.Config {
	return esb.Config{URL: c.BusURL, Concurrency: c.Bus.Concurrency, AckWait: c.Bus.AckWait,
		MaxAckPending: c.Bus.MaxAckPending, MaxDeliveries: c.Bus.MaxDeliveries}
}

// serve builds store → bus → registry with the simulated cloud → broker → processes → web, runs them
// until ctx ends, then stops them in the reverse order: the API first (no new requests), then the
// lifecycle and the broker (their calls under way answered), then the bus, and closes the files.
func serve(ctx context.Context, cfg serveConfig, log *slog.Logger) (err error) {
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	ledger := filepath.Join(cfg.DataDir, simLedgerFile)
	simCfgs, err := loadSimConfigs(cfg.SimConfig, ledger)
	if err != nil {
		return err
	}
	cat, err := loadCatalogue(cfg.Catalogue, simCfgs, cfg.SimConfig != "")
	if err != nil {
		return err
	}
	if cfg.SimConfig == "" {
		simCfgs = nil // the catalogue's simulated providers take the default configuration
	}
	if simCfgs, err = simProvidersOf(cat, simCfgs, ledger); err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DB, store.Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()
	services := registry.NewServices()
	var clouds *sim.Providers
	if len(simCfgs) > 0 {
		if clouds, err = sim.NewProviders(ctx, simCfgs...); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, clouds.Close()) }()
		if err := services.Announce(clouds); err != nil {
			return err
		}
	}
	if err := announceKubernetes(ctx, cat, services); err != nil {
		return err
	}
	bus, err := esb.New(cfg.busConfig(), log.With("component", "bus"))
	if err != nil {
		return err
	}
	brk, err := broker.New(broker.Config{DefaultPlatform: connectors.PlatformSim}, bus, services, log)
	if err != nil {
		_ = bus.Close()
		return err
	}
	checks := registry.NewHealth(cat, services, registry.HealthConfig{Period: cfg.HealthPeriod}, nil)
	selector := &registry.Selector{Catalogue: cat, Services: services, Health: checks}
	procs, err := processes.New(processes.Config{Providers: providerRefs(cat), Ranker: selector, CheckPeriod: cfg.CheckPeriod},
		processes.Deps{Store: st, Bus: bus, Clock: esb.SystemClock{}, Logger: log.With("component", "processes")})
	if err != nil {
		_ = bus.Close()
		return err
	}
	selector.Usage = procs
	if err := procs.LoadUsage(ctx); err != nil {
		_ = bus.Close()
		return fmt.Errorf("provider usage: %w", err)
	}
	deps := web.Deps{Deployments: procs, Health: health(bus, procs),
		Catalogue: web.ProviderDeps{Catalogue: cat, Health: checks, Usage: procs, Selection: procs.Selection},
		Live:      web.LiveDeps{Journal: procs, Collectors: []prometheus.Collector{procs.Metrics()}}}
	if clouds != nil {
		deps.Sim = clouds
	}
	authn, err := loadAuth(ctx, cfg.AuthConfig, log.With("component", "auth"))
	if err != nil {
		_ = bus.Close()
		return err
	}
	api, err := web.New(web.Config{Addr: cfg.Addr, AllowRemote: cfg.AllowRemote, Info: serverInfo(),
		Configuration: serverConfiguration(cfg, cat), Auth: authn, MaxBodyBytes: cfg.Limits.BodyBytes,
		MaxTemplateBytes: cfg.Limits.TemplateBytes, MaxNodeTemplates: cfg.Limits.NodeTemplates, MaxInFlight: cfg.Limits.InFlight}, deps, log.With("component", "web"))
	if err != nil {
		_ = bus.Close()
		return err
	}
	healthCtx, stopHealth := context.WithCancel(ctx)
	defer stopHealth()
	go func() { _ = checks.Run(healthCtx) }()
	return runStaged(ctx, log, cfg.ready, bus, brk, procs, api)
}

// runStaged starts the bus, then the broker once the bus runs, then the lifecycle once the broker's
// handlers are on the bus (so that no command published at start-up finds nobody listening on the
// in-process bus), then the API once the lifecycle has resumed the plans of a previous run. When ctx ends or any component stops, it stops them in order: the API
// (no new requests), the lifecycle and the broker (their calls under way answered), then the bus.
func runStaged(ctx context.Context, log *slog.Logger, ready func(net.Addr), bus *esb.Bus, brk *broker.Broker,
	procs *processes.Service, api *web.Server) error {
	apiCtx, stopAPI := context.WithCancel(ctx)
	defer stopAPI()
	coreCtx, stopCore := context.WithCancel(context.WithoutCancel(ctx))
	defer stopCore()
	busCtx, stopBus := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBus()

	var mu sync.Mutex
	var errs []error
	// done records how a component ended; any component ending stops everything, in order.
	done := func(name string, err error) {
		if err != nil && !errors.Is(err, context.Canceled) {
			log.Error("component failed", "component", name, "err", err)
			mu.Lock()
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			mu.Unlock()
		}
		stopAPI()
	}
	started := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		case <-apiCtx.Done():
			return false
		}
	}
	var busWG, coreWG sync.WaitGroup
	busWG.Go(func() { done("bus", bus.Run(busCtx)) })
	if started(bus.Running()) {
		coreWG.Go(func() { done("broker", brk.Run(coreCtx)) })
		if started(brk.Ready()) {
			coreWG.Go(func() { done("processes", procs.Run(coreCtx)) })
			// The API waits for the plans of a previous run to be resumed: a DELETE must find them.
			if started(procs.Ready()) {
				done("api", api.Run(apiCtx, ready))
			}
		}
	}
	log.Info("shutting down")
	stopCore()
	coreWG.Wait()
	stopBus()
	busWG.Wait()
	return errors.Join(errs...)
}

// health reports the server unhealthy until the bus's handlers are subscribed and the lifecycle has
// resumed the plans of a previous run, and once the bus closes.
func health(bus *esb.Bus, procs *processes.Service) func(context.Context) error {
	busOK := busHealth(bus)
	return func(ctx context.Context) error {
		if err := busOK(ctx); err != nil {
			return err
		}
		select {
		case <-procs.Ready():
			return nil
		default:
			return errors.New("the deployments of a previous run are not resumed yet")
		}
	}
}

// busHealth reports the bus unhealthy until its handlers are subscribed and once it closes.
func busHealth(bus *esb.Bus) func(context.Context) error {
	return func(context.Context) error {
		select {
		case <-bus.Closing():
			return errors.New("the service bus is closing")
		default:
		}
		select {
		case <-bus.Running():
			return nil
		default:
			return errors.New("the service bus is not running yet")
		}
	}
}

// serverInfo is the build information GET /info serves.
func serverInfo() map[string]string {
	bi := buildInfo()
	info := map[string]string{"version": bi.Version, "goVersion": bi.GoVersion}
	if bi.Revision != "" {
		info["revision"] = bi.Revision
	}
	if bi.BuildTime != "" {
		info["buildTime"] = bi.BuildTime
	}
	if h, err := os.Hostname(); err == nil {
		info["hostname"] = h
	}
	return info
}

// serverConfiguration is the flat map GET /configuration serves: the bus in use (without credentials)
// and the providers of the catalogue.
func serverConfiguration(cfg serveConfig, cat *registry.Catalogue) map[string]string {
	bus := "in-process"
	if cfg.BusURL != "" {
		bus = cfg.BusURL
		if u, err := url.Parse(cfg.BusURL); err == nil {
			bus = u.Redacted()
		}
	}
	var names, simNames []string
	for _, p := range cat.Providers {
		names = append(names, p.Name)
		if hasPlatform(p, connectors.PlatformSim) {
			simNames = append(simNames, p.Name)
		}
	}
	catalogue := cfg.Catalogue
	if catalogue == "" {
		catalogue = "embedded"
	}
	return map[string]string{"bus": bus, "store": "sqlite", "simProviders": strings.Join(simNames, ","),
		"providers": strings.Join(names, ","), "catalogue": catalogue}
}

// The lifecycle serves the API as it is.
var _ web.Deployments = (*processes.Service)(nil)
