package registry

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/toscaflow/toscaflow/connectors"
)

// Catalogue is the provider catalogue (DESIGN.md section 5): the clouds deployments may be placed on,
// best first when nothing else tells them apart. It is read from YAML:
//
//	providers:
//	  - name: sim-bologna             # unique; ASCII letters, digits and '-'
//	    description: INFN Bologna (simulated)
//	    region: eu-south
//	    location: { country: IT, site: bologna }   # where the data lives: ISO 3166 alpha-2 country, site
//	    tags: [ gpu, eosc ]
//	    services:                     # at least one
//	      - platform: sim             # sim, kubernetes or openstack
//	        type: container-cluster   # a service type; empty: every service the platform's connector announces
//	        endpoint: https://k8s.example.org:6443
//	        credentials: file:/etc/toscaflow/bologna.kubeconfig   # or env:NAME; never the secret itself
//	    slas:
//	      - id: sla-bologna-beta      # unique in the catalogue (INDIGO's sla_id)
//	        user_groups: [ beta-testers ]   # empty: every group
//	        priority: 10              # a larger number ranks first
//	        quotas: { instances: 20, vcpus: 40, ram: 128 GiB, storage: 2 TiB }   # 0 or absent: no limit
//
// ParseCatalogue and LoadCatalogue refuse unknown fields and list every problem with its path.
type Catalogue struct {
	Providers []Provider `yaml:"providers" json:"providers"`
}

// Provider is one cloud of the catalogue.
type Provider struct {
	Name        string        `yaml:"name" json:"name"`
	Description string        `yaml:"description" json:"description,omitempty"`
	Region      string        `yaml:"region" json:"region,omitempty"`
	Location    Location      `yaml:"location" json:"location"`
	Tags        []string      `yaml:"tags" json:"tags,omitempty"`
	Services    []ServiceSpec `yaml:"services" json:"services"`
	SLAs        []SLA         `yaml:"slas" json:"slas,omitempty"`
}

// Location is where a provider keeps data: a country (ISO 3166-1 alpha-2) and a site.
type Location struct {
	Country string `yaml:"country" json:"country,omitempty"`
	Site    string `yaml:"site" json:"site,omitempty"`
}

// String is "IT/bologna", "IT", "bologna" or "".
func (l Location) String() string {
	switch {
	case l.Country != "" && l.Site != "":
		return l.Country + "/" + l.Site
	case l.Country != "":
		return l.Country
	}
	return l.Site
}

// ServiceSpec is one service of a provider: a service type on a platform, reached at an endpoint with
// credentials given by reference.
type ServiceSpec struct {
	// Type is a service type (connectors.Service); empty means every service the platform's connector
	// announces.
	Type     connectors.Service  `yaml:"type" json:"type,omitempty"`
	Platform connectors.Platform `yaml:"platform" json:"platform"`
	Endpoint string              `yaml:"endpoint" json:"endpoint,omitempty"`
	// Credentials is a reference, "file:PATH" or "env:NAME" (see ReadCredential); the secret itself is
	// refused.
	Credentials string `yaml:"credentials" json:"-"`
}

// Offers reports whether the service entry covers service s.
func (s ServiceSpec) Offers(svc connectors.Service) bool { return s.Type == "" || s.Type == svc }

// SLA is a service-level agreement of a provider with some user groups: how a deployment of theirs
// ranks there and how much it may use.
type SLA struct {
	ID string `yaml:"id" json:"id"`
	// UserGroups the SLA applies to; empty means every group (and requests with none).
	UserGroups []string `yaml:"user_groups" json:"userGroups,omitempty"`
	// Priority ranks providers: a larger number first.
	Priority int    `yaml:"priority" json:"priority"`
	Quotas   Quotas `yaml:"quotas" json:"quotas"`
}

// AppliesTo reports whether the SLA covers a user group.
func (s SLA) AppliesTo(group string) bool {
	if len(s.UserGroups) == 0 {
		return true
	}
	for _, g := range s.UserGroups {
		if g == group {
			return true
		}
	}
	return false
}

// Quotas bound what the deployments of an SLA's groups may use on the provider, all together; zero (or
// absent) means no limit. RAM and Storage are TOSCA sizes ("64 GiB").
type Quotas struct {
	Instances int    `yaml:"instances" json:"instances,omitempty"`
	VCPUs     int    `yaml:"vcpus" json:"vcpus,omitempty"`
	RAM       string `yaml:"ram" json:"ram,omitempty"`
	Storage   string `yaml:"storage" json:"storage,omitempty"`
}

// Limits returns the quotas as a Demand (RAM and Storage in bytes; a size that does not parse counts as
// no limit, which Validate has refused already).
func (q Quotas) Limits() Demand {
	d := Demand{Instances: q.Instances, VCPUs: q.VCPUs}
	d.RAM, _ = parseSize(q.RAM)
	d.Storage, _ = parseSize(q.Storage)
	return d
}

func parseSize(s string) (int64, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	return connectors.ParseSize(s)
}

// Provider returns the provider named name, or nil.
func (c *Catalogue) Provider(name string) *Provider {
	for i := range c.Providers {
		if c.Providers[i].Name == name {
			return &c.Providers[i]
		}
	}
	return nil
}

// Platform is the platform of the provider's first service: the one its deployments are sent to.
func (p *Provider) Platform() connectors.Platform {
	if len(p.Services) == 0 {
		return ""
	}
	return p.Services[0].Platform
}

// ErrInvalidCatalogue is wrapped by the error of a catalogue with problems.
var ErrInvalidCatalogue = errors.New("invalid provider catalogue")

// CatalogueError lists every problem of a catalogue, each with its path ("providers[2].services[0].platform")
// or, for what the YAML decoder finds, its line.
type CatalogueError struct {
	Source   string
	Problems []string
}

func (e *CatalogueError) Error() string {
	return fmt.Sprintf("%s: %v:\n  %s", e.Source, ErrInvalidCatalogue, strings.Join(e.Problems, "\n  "))
}

// Unwrap makes errors.Is(err, ErrInvalidCatalogue) hold.
func (e *CatalogueError) Unwrap() error { return ErrInvalidCatalogue }

//go:embed default_catalogue.yaml
var defaultCatalogue []byte

// DefaultCatalogue is the embedded catalogue: one simulated provider, "sim", offering every service.
func DefaultCatalogue() *Catalogue {
	c, err := ParseCatalogue("default catalogue", defaultCatalogue)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return c
}

// LoadCatalogue reads and validates the catalogue in a file.
func LoadCatalogue(path string) (*Catalogue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("provider catalogue: %w", err)
	}
	return ParseCatalogue(path, data)
}

// ParseCatalogue reads and validates a catalogue; source names it in errors. Every problem (unknown or
// mistyped fields, then everything Validate finds) is listed in one *CatalogueError.
func ParseCatalogue(source string, data []byte) (*Catalogue, error) {
	var c Catalogue
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var problems []string
	if err := dec.Decode(&c); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.As(err, &te):
			// The decoder goes on after a field it cannot place: the rest is still checked below.
			problems = append(problems, te.Errors...)
		case errors.Is(err, io.EOF):
			problems = append(problems, "the catalogue is empty")
		default:
			return nil, &CatalogueError{Source: source, Problems: []string{err.Error()}}
		}
	}
	problems = append(problems, c.problems()...)
	if len(problems) > 0 {
		return nil, &CatalogueError{Source: source, Problems: problems}
	}
	return &c, nil
}

// Validate lists every problem of c in a *CatalogueError, or returns nil.
func (c *Catalogue) Validate() error {
	if ps := c.problems(); len(ps) > 0 {
		return &CatalogueError{Source: "catalogue", Problems: ps}
	}
	return nil
}
