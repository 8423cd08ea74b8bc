package registry

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/toscaflow/toscaflow/connectors"
)

var (
	namePattern    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
	envPattern     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// Platforms are the platforms a catalogue may name.
var Platforms = []connectors.Platform{connectors.PlatformSim, connectors.PlatformKubernetes, connectors.PlatformOpenStack}

// serviceTypes are the service types a catalogue may name: what connectors register (not the bus-level
// "cloud").
var serviceTypes = append([]connectors.Service{connectors.ServiceContainerCluster, connectors.ServiceSoftware},
	connectors.ResourceServices...)

// problems lists every problem of the catalogue, each prefixed by its path.
func (c *Catalogue) problems() []string {
	var ps []string
	add := func(path, format string, args ...any) { ps = append(ps, path+": "+fmt.Sprintf(format, args...)) }
	if len(c.Providers) == 0 {
		add("providers", "at least one provider is required")
	}
	names := map[string]int{}
	slaIDs := map[string]string{}
	for i, p := range c.Providers {
		at := fmt.Sprintf("providers[%d]", i)
		switch {
		case p.Name == "":
			add(at+".name", "required")
		case !namePattern.MatchString(p.Name):
			add(at+".name", "%q: want ASCII letters, digits and '-', starting with a letter or digit (the service bus carries it)", p.Name)
		default:
			if j, dup := names[p.Name]; dup {
				add(at+".name", "%q is already the name of providers[%d]", p.Name, j)
			}
			names[p.Name] = i
		}
		if p.Location.Country != "" && !countryPattern.MatchString(p.Location.Country) {
			add(at+".location.country", "%q: want an ISO 3166 alpha-2 code such as IT or DE", p.Location.Country)
		}
		for j, t := range p.Tags {
			if strings.TrimSpace(t) == "" {
				add(fmt.Sprintf("%s.tags[%d]", at, j), "empty tag")
			}
		}
		if len(p.Services) == 0 {
			add(at+".services", "at least one service is required")
		}
		seen := map[ServiceSpec]int{}
		for j, s := range p.Services {
			sat := fmt.Sprintf("%s.services[%d]", at, j)
			ps = append(ps, s.problems(sat)...)
			k := ServiceSpec{Type: s.Type, Platform: s.Platform}
			if prev, dup := seen[k]; dup {
				add(sat, "the same service and platform as %s.services[%d]", at, prev)
			}
			seen[k] = j
		}
		for j, s := range p.SLAs {
			sat := fmt.Sprintf("%s.slas[%d]", at, j)
			switch {
			case s.ID == "":
				add(sat+".id", "required")
			case slaIDs[s.ID] != "":
				add(sat+".id", "%q is already the id of %s", s.ID, slaIDs[s.ID])
			default:
				slaIDs[s.ID] = sat
			}
			for k, g := range s.UserGroups {
				if strings.TrimSpace(g) == "" {
					add(fmt.Sprintf("%s.user_groups[%d]", sat, k), "empty group")
				}
			}
			if s.Priority < 0 {
				add(sat+".priority", "%d: must not be negative", s.Priority)
			}
			q := s.Quotas
			if q.Instances < 0 {
				add(sat+".quotas.instances", "%d: must not be negative", q.Instances)
			}
			if q.VCPUs < 0 {
				add(sat+".quotas.vcpus", "%d: must not be negative", q.VCPUs)
			}
			if _, err := parseSize(q.RAM); err != nil {
				add(sat+".quotas.ram", "%v", err)
			}
			if _, err := parseSize(q.Storage); err != nil {
				add(sat+".quotas.storage", "%v", err)
			}
		}
	}
	return ps
}

func (s ServiceSpec) problems(at string) []string {
	var ps []string
	add := func(path, format string, args ...any) { ps = append(ps, path+": "+fmt.Sprintf(format, args...)) }
	switch {
	case s.Platform == "":
		add(at+".platform", "required (one of %s)", platformList())
	case !knownPlatform(s.Platform):
		add(at+".platform", "unknown %q (want %s)", s.Platform, platformList())
	}
	if s.Type != "" && !knownService(s.Type) {
		add(at+".type", "unknown %q (want %s, or none for every service)", s.Type, serviceList())
	}
	if s.Endpoint != "" {
		u, err := url.Parse(s.Endpoint)
		if err != nil || u.Scheme == "" || u.Host == "" {
			add(at+".endpoint", "%q: want an absolute URL such as https://cloud.example.org:5000/v3", s.Endpoint)
		} else if u.User != nil {
			add(at+".endpoint", "credentials in the URL are refused: use credentials: file:PATH or env:NAME")
		}
	}
	if s.Platform == connectors.PlatformOpenStack && s.Endpoint == "" {
		add(at+".endpoint", "required for openstack (the Keystone URL)")
	}
	if err := checkCredentialRef(s.Credentials); err != nil {
		add(at+".credentials", "%v", err)
	}
	return ps
}

// checkCredentialRef accepts "", "file:PATH" and "env:NAME"; anything else may be a secret written in the
// catalogue, and is refused without being echoed.
func checkCredentialRef(ref string) error {
	switch {
	case ref == "":
		return nil
	case strings.HasPrefix(ref, "file:"):
		if strings.TrimSpace(strings.TrimPrefix(ref, "file:")) == "" {
			return fmt.Errorf("file: names no file")
		}
		return nil
	case strings.HasPrefix(ref, "env:"):
		if name := strings.TrimPrefix(ref, "env:"); !envPattern.MatchString(name) {
			return fmt.Errorf("env:%s is not an environment variable name", name)
		}
		return nil
	}
	return fmt.Errorf("not a reference (want file:PATH or env:NAME): a secret is never written in the catalogue")
}

// ReadCredential returns the secret a credentials reference points to: the content of the file, or the
// value of the environment variable (an unset or empty variable is an error). An empty reference reads
// nothing.
func ReadCredential(ref string) ([]byte, error) {
	if err := checkCredentialRef(ref); err != nil {
		return nil, err
	}
	switch {
	case ref == "":
		return nil, nil
	case strings.HasPrefix(ref, "file:"):
		data, err := os.ReadFile(strings.TrimPrefix(ref, "file:"))
		if err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
		return data, nil
	}
	name := strings.TrimPrefix(ref, "env:")
	v := os.Getenv(name)
	if v == "" {
		return nil, fmt.Errorf("credentials: environment variable %s is not set", name)
	}
	return []byte(v), nil
}

func knownPlatform(p connectors.Platform) bool {
	for _, k := range Platforms {
		if p == k {
			return true
		}
	}
	return false
}

func knownService(s connectors.Service) bool {
	for _, k := range serviceTypes {
		if s == k {
			return true
		}
	}
	return false
}

func platformList() string {
	out := make([]string, len(Platforms))
	for i, p := range Platforms {
		out[i] = string(p)
	}
	return strings.Join(out, ", ")
}

func serviceList() string {
	out := make([]string, len(serviceTypes))
	for i, s := range serviceTypes {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}
