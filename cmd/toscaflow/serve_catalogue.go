package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/toscaflow/toscaflow/connectors"
	kube "github.com/toscaflow/toscaflow/connectors/kubernetes"
	"github.com/toscaflow/toscaflow/connectors/sim"
	"github.com/toscaflow/toscaflow/processes"
	"github.com/toscaflow/toscaflow/registry"
)

// loadCatalogue reads the provider catalogue of --catalogue. Without one, the embedded default (one
// simulated provider, "sim") is used, unless --sim-config names simulated providers: then each of them
// is a provider of every service, in the order given, with the same SLA.
func loadCatalogue(path string, sims []sim.Config, simConfigured bool) (*registry.Catalogue, error) {
	if path != "" {
		return registry.LoadCatalogue(path)
	}
	if !simConfigured {
		return registry.DefaultCatalogue(), nil
	}
	cat := &registry.Catalogue{}
	for _, c := range sims {
		cat.Providers = append(cat.Providers, registry.Provider{Name: c.Provider,
			Description: "simulated provider of --sim-config",
			Services:    []registry.ServiceSpec{{Platform: connectors.PlatformSim}},
			SLAs:        []registry.SLA{{ID: c.Provider + "-default"}}})
	}
	if err := cat.Validate(); err != nil {
		return nil, fmt.Errorf("sim config: %w", err)
	}
	return cat, nil
}

// simProvidersOf returns the simulated providers the catalogue names (those with a sim service), each with
// its --sim-config configuration or the default one; a configuration of a provider the catalogue lacks is
// an error.
func simProvidersOf(cat *registry.Catalogue, sims []sim.Config, ledger string) ([]sim.Config, error) {
	byName := map[string]sim.Config{}
	for _, c := range sims {
		byName[c.Provider] = c
	}
	var out []sim.Config
	for _, p := range cat.Providers {
		if !hasPlatform(p, connectors.PlatformSim) {
			continue
		}
		c, ok := byName[p.Name]
		if !ok {
			c = sim.Config{Provider: p.Name, Path: ledger}
		}
		delete(byName, p.Name)
		out = append(out, c)
	}
	var errs []error
	for _, c := range sims {
		if _, left := byName[c.Provider]; left {
			errs = append(errs, fmt.Errorf("sim config: provider %q is not a simulated provider of the catalogue", c.Provider))
		}
	}
	return out, errors.Join(errs...)
}

func hasPlatform(p registry.Provider, platform connectors.Platform) bool {
	for _, s := range p.Services {
		if s.Platform == platform {
			return true
		}
	}
	return false
}

// providerRefs are the catalogue's providers with the platform their deployments go to.
func providerRefs(cat *registry.Catalogue) []processes.ProviderRef {
	out := make([]processes.ProviderRef, 0, len(cat.Providers))
	for _, p := range cat.Providers {
		out = append(out, processes.ProviderRef{Name: p.Name, Platform: p.Platform()})
	}
	return out
}

// kubeConfigs are the Kubernetes connector configurations of the catalogue's kubernetes services: the
// kubeconfig is the file the credentials reference (file:PATH); no credentials means client-go's loading
// rules ($KUBECONFIG, ~/.kube/config).
func kubeConfigs(cat *registry.Catalogue) ([]kube.Config, error) {
	var out []kube.Config
	var errs []error
	for i, p := range cat.Providers {
		for j, s := range p.Services {
			if s.Platform != connectors.PlatformKubernetes {
				continue
			}
			cfg := kube.Config{Provider: p.Name}
			switch ref := s.Credentials; {
			case strings.HasPrefix(ref, "file:"):
				cfg.Kubeconfig = strings.TrimPrefix(ref, "file:")
			case ref != "":
				errs = append(errs, fmt.Errorf("providers[%d].services[%d].credentials: a kubernetes service takes a kubeconfig file (file:PATH)", i, j))
			}
			out = append(out, cfg)
			break // one connector per provider
		}
	}
	return out, errors.Join(errs...)
}

// announceKubernetes makes one Kubernetes connector per kubernetes provider of the catalogue and announces
// them together (kube.Providers routes each call by its provider); their Ping is the catalogue's health
// check.
func announceKubernetes(ctx context.Context, cat *registry.Catalogue, services *registry.Services) error {
	cfgs, err := kubeConfigs(cat)
	if err != nil || len(cfgs) == 0 {
		return err
	}
	conns := make([]*kube.Connector, 0, len(cfgs))
	for _, cfg := range cfgs {
		c, err := kube.New(ctx, cfg)
		if err != nil {
			return fmt.Errorf("kubernetes provider %q: %w", cfg.Provider, err)
		}
		conns = append(conns, c)
	}
	ps, err := kube.NewProviders(conns...)
	if err != nil {
		return err
	}
	return services.Announce(ps)
}

var _ connectors.Pinger = (*kube.Providers)(nil)
