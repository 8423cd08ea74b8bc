package kubernetes

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/toscaflow/toscaflow/connectors"
)

// dockerHub are the names Docker Hub goes by in repository URLs; a kubelet pulls from it as docker.io.
var dockerHub = map[string]bool{
	"docker.io": true, "index.docker.io": true, "registry.hub.docker.com": true, "hub.docker.com": true,
	"registry-1.docker.io": true,
}

// imageReference is the grammar of a container image reference (distribution's reference grammar): an
// optional registry host with port, a lowercase path, an optional tag and an optional digest.
var imageReference = func() *regexp.Regexp {
	domainPart := `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
	domain := domainPart + `(?:\.` + domainPart + `)*(?::[0-9]+)?`
	pathPart := `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`
	name := `(?:` + domain + `/)?` + pathPart + `(?:/` + pathPart + `)*`
	tag := `[\w][\w.-]{0,127}`
	digest := `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}`
	return regexp.MustCompile(`^` + name + `(?::` + tag + `)?(?:@` + digest + `)?$`)
}()

// imageRef is the image of a container as a reference a kubelet pulls: its image artifact's file under
// its repository URL's host and path (Docker Hub's URLs as docker.io, an official image's bare name under
// library/), or the container's image property. A file that names its own registry keeps it.
func imageRef(c connectors.Container) (string, error) {
	a, ok := imageArtifact(c.Node)
	if !ok {
		if c.Image == "" {
			return "", fmt.Errorf("%w: container %q has no image artifact and no image property", ErrInvalidUnit, c.Name)
		}
		return checkImage(c.Name, c.Image)
	}
	file := strings.TrimPrefix(strings.TrimSpace(a.File), "/")
	if file == "" {
		return "", fmt.Errorf("%w: container %q: image artifact without a file", ErrInvalidUnit, c.Name)
	}
	if hasRegistry(file) || a.RepositoryURL == "" {
		return checkImage(c.Name, file)
	}
	raw := a.RepositoryURL
	if !strings.Contains(raw, "://") {
		raw = "docker://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%w: container %q: repository URL %q has no host", ErrInvalidUnit, c.Name, a.RepositoryURL)
	}
	host := strings.ToLower(u.Host)
	path := strings.Trim(u.Path, "/")
	if dockerHub[host] {
		host, path = "docker.io", ""
		if !strings.Contains(file, "/") {
			file = "library/" + file
		}
	}
	ref := host + "/" + file
	if path != "" {
		ref = host + "/" + path + "/" + file
	}
	return checkImage(c.Name, ref)
}

// imageArtifact is the node's image artifact: the one named image, else the first (by name) whose type is
// an image or Docker artifact.
func imageArtifact(n connectors.Node) (connectors.Artifact, bool) {
	if a, ok := n.Artifacts["image"]; ok {
		return a, true
	}
	names := make([]string, 0, len(n.Artifacts))
	for name := range n.Artifacts {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		a := n.Artifacts[name]
		if strings.Contains(a.Type, "Image") || strings.Contains(a.Type, "Docker") {
			return a, true
		}
	}
	return connectors.Artifact{}, false
}

// hasRegistry reports whether an image reference starts with a registry host (a first component with a dot
// or a port, or localhost), as container runtimes decide it.
func hasRegistry(ref string) bool {
	first, _, ok := strings.Cut(ref, "/")
	return ok && (strings.ContainsAny(first, ".:") || first == "localhost")
}

func checkImage(container, ref string) (string, error) {
	if len(ref) > 255 || !imageReference.MatchString(ref) {
		return "", fmt.Errorf("%w: container %q: %q is not an image reference", ErrInvalidUnit, container, ref)
	}
	return ref, nil
}
