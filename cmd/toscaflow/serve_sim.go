package main

import (
	"bytes"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/connectors/sim"
)

// simFile is the YAML of --sim-config: either one provider (a sim.Config at the top level) or several
// under providers. Providers without a path share the ledger in the data directory.
type simFile struct {
	Providers []sim.Config `yaml:"providers"`
}

// loadSimConfigs reads the simulated providers from path (one default provider when path is empty),
// filling in the ledger file and checking each configuration.
func loadSimConfigs(path, ledger string) ([]sim.Config, error) {
	var cfgs []sim.Config
	if path == "" {
		cfgs = []sim.Config{{}}
	} else {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("sim config: %w", err)
		}
		var top map[string]any
		if err := yaml.Unmarshal(data, &top); err != nil {
			return nil, fmt.Errorf("sim config %s: %w", path, err)
		}
		if _, several := top["providers"]; several {
			var f simFile
			if err := strictYAML(data, &f); err != nil {
				return nil, fmt.Errorf("sim config %s: %w", path, err)
			}
			if len(f.Providers) == 0 {
				return nil, fmt.Errorf("sim config %s: providers is empty", path)
			}
			cfgs = f.Providers
		} else {
			var one sim.Config
			if err := strictYAML(data, &one); err != nil {
				return nil, fmt.Errorf("sim config %s: %w", path, err)
			}
			cfgs = []sim.Config{one}
		}
	}
	for i := range cfgs {
		if cfgs[i].Path == "" {
			cfgs[i].Path = ledger
		}
		if cfgs[i].Provider == "" {
			cfgs[i].Provider = "sim"
		}
		if err := cfgs[i].Validate(); err != nil {
			return nil, fmt.Errorf("sim config %s: provider %q: %w", path, cfgs[i].Provider, err)
		}
	}
	return cfgs, nil
}

// strictYAML decodes data into v, refusing unknown fields (a misspelt fault is a silent no-op otherwise).
func strictYAML(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	return dec.Decode(v)
}
