package bpmnxml

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/beevik/etree"
	"github.com/toscaflow/toscaflow/bpmn"
)

// Errors of reading.
var (
	// ErrNotBPMN means the document's root is not a BPMN definitions element.
	ErrNotBPMN = errors.New("not a BPMN 2.0 definitions document")
	// ErrCharset means the document declares an encoding the reader does not decode.
	ErrCharset = errors.New("unsupported character encoding")
	// ErrSyntax means the document is not well-formed XML.
	ErrSyntax = errors.New("malformed XML")
)

// conventional maps the prefixes BPMN tools use to their namespaces, for documents that use a
// prefix without declaring it (bpmn-js accepts them; so do we, with a warning).
var conventional = map[string]string{
	"bpmn": bpmn.NSModel, "bpmn2": bpmn.NSModel, "semantic": bpmn.NSModel, "model": bpmn.NSModel,
	"bpmndi": bpmn.NSDI, "dc": bpmn.NSDC, "omgdc": bpmn.NSDC, "di": bpmn.NSDDI, "omgdi": bpmn.NSDDI,
	"xsi": bpmn.NSXSI,
}

const nsXML = "http://www.w3.org/XML/1998/namespace"

// ReadFile reads the BPMN document at path; see Read.
func ReadFile(path string) (*bpmn.Definitions, bpmn.Problems, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read bpmn %q: %w", path, err)
	}
	d, ps, err := ReadBytes(b)
	if err != nil {
		return nil, nil, fmt.Errorf("read bpmn %q: %w", path, err)
	}
	return d, ps, nil
}

// Read reads a BPMN document. The error is for documents that cannot be read at all (malformed
// XML, unknown encoding, not BPMN); everything else is a problem, with the element id and line,
// from the reader (unparsable values, dropped content) and from Definitions.Validate.
func Read(r io.Reader) (*bpmn.Definitions, bpmn.Problems, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read bpmn: %w", err)
	}
	return ReadBytes(b)
}

// ReadBytes reads a BPMN document from b; see Read.
func ReadBytes(b []byte) (*bpmn.Definitions, bpmn.Problems, error) {
	doc := etree.NewDocument()
	doc.ReadSettings.CharsetReader = charsetReader
	doc.ReadSettings.PreserveCData = true
	if err := doc.ReadFromBytes(b); err != nil {
		if errors.Is(err, ErrCharset) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	root := doc.Root()
	if root == nil {
		return nil, nil, fmt.Errorf("%w: no root element", ErrNotBPMN)
	}
	r := &reader{
		prefixOf: map[string]string{},
		uriOf:    map[string]string{},
		idLines:  map[string][]int{},
		used:     map[*etree.Element]map[string]bool{},
	}
	r.lines = startLines(b)
	r.lineOf = make(map[*etree.Element]int, len(r.lines))
	r.numberLines(root)
	if r.space(root) != bpmn.NSModel || root.Tag != "definitions" {
		return nil, nil, fmt.Errorf("%w: root is <%s> in namespace %q", ErrNotBPMN, root.FullTag(), r.space(root))
	}
	d := r.definitions(root)
	r.unknownAttrs(root)
	ps := append(bpmn.Problems(nil), r.problems...)
	for _, p := range d.Validate() {
		ps = append(ps, r.locate(p))
	}
	return d, ps, nil
}

// reader holds the state of one Read.
type reader struct {
	defs     *bpmn.Definitions
	problems bpmn.Problems
	lines    []int
	lineOf   map[*etree.Element]int
	idLines  map[string][]int
	dupSeen  map[string]int
	prefixOf map[string]string // namespace URI → prefix registered in defs.Namespaces
	uriOf    map[string]string // prefix → namespace URI
	warned   map[string]bool
	used     map[*etree.Element]map[string]bool // attributes asked for, per element read as model
}

func (r *reader) numberLines(e *etree.Element) {
	if n := len(r.lineOf); n < len(r.lines) {
		r.lineOf[e] = r.lines[n]
	}
	if id := e.SelectAttrValue("id", ""); id != "" {
		r.idLines[id] = append(r.idLines[id], r.lineOf[e])
	}
	for _, c := range e.ChildElements() {
		r.numberLines(c)
	}
}

// locate adds the source line to a problem found on the model: for the n-th duplicate of an id,
// the line of its n-th repetition.
func (r *reader) locate(p bpmn.Problem) bpmn.Problem {
	lines := r.idLines[p.ID]
	if len(lines) == 0 || p.Line != 0 {
		return p
	}
	p.Line = lines[0]
	if errors.Is(p.Kind, bpmn.ErrDuplicateID) {
		if r.dupSeen == nil {
			r.dupSeen = map[string]int{}
		}
		r.dupSeen[p.ID]++
		if k := r.dupSeen[p.ID]; k < len(lines) {
			p.Line = lines[k]
		}
	}
	return p
}

// problem records a reader problem at element e, identified by the id of e or, for elements
// without one (dc:Bounds, event definitions...), of its nearest ancestor that has one.
func (r *reader) problem(e *etree.Element, sev bpmn.Severity, kind error, attr, format string, args ...any) {
	id := ""
	for p := e; p != nil && id == ""; p = p.Parent() {
		id = p.SelectAttrValue("id", "")
	}
	r.problems = append(r.problems, bpmn.Problem{
		Severity: sev, Kind: kind, ID: id, Element: e.Tag, Attr: attr,
		Line: r.lineOf[e], Message: fmt.Sprintf(format, args...),
	})
}

// space returns the namespace URI of e, falling back to the conventional namespace of an
// undeclared prefix.
func (r *reader) space(e *etree.Element) string {
	if uri := e.NamespaceURI(); uri != "" || e.Space == "" {
		return uri
	}
	if uri, ok := conventional[e.Space]; ok {
		if r.warned == nil {
			r.warned = map[string]bool{}
		}
		if !r.warned[e.Space] {
			r.warned[e.Space] = true
			r.problem(e, bpmn.SeverityWarning, bpmn.ErrInvalidValue, "", "prefix %q is not declared; read as %s", e.Space, uri)
		}
		return uri
	}
	return ""
}

// attrSpace returns the namespace URI of attribute a of e.
func (r *reader) attrSpace(e *etree.Element, a etree.Attr) string {
	if a.Space == "" {
		return ""
	}
	if a.Space == "xml" {
		return nsXML
	}
	if uri := findPrefix(e, a.Space); uri != "" {
		return uri
	}
	return conventional[a.Space]
}

// findPrefix returns the namespace URI that prefix is bound to at e, or "".
func findPrefix(e *etree.Element, prefix string) string {
	for p := e; p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			if a.Space == "xmlns" && a.Key == prefix {
				return a.Value
			}
		}
	}
	return ""
}

// register records a namespace in use and returns the prefix the model keeps for it.
func (r *reader) register(prefix, uri string) string {
	if p, ok := r.prefixOf[uri]; ok {
		return p
	}
	if _, taken := r.uriOf[prefix]; taken || prefix == "" {
		base := prefix
		if base == "" {
			base = "ns"
		}
		for i := 1; ; i++ {
			cand := base + strconv.Itoa(i)
			if _, taken := r.uriOf[cand]; !taken {
				prefix = cand
				break
			}
		}
	}
	r.prefixOf[uri] = prefix
	r.uriOf[prefix] = uri
	r.defs.Namespaces = append(r.defs.Namespaces, bpmn.Namespace{Prefix: prefix, URI: uri})
	return prefix
}

// declarations registers the namespaces declared on e.
func (r *reader) declarations(e *etree.Element) {
	for _, a := range e.Attr {
		switch {
		case a.Space == "xmlns":
			r.register(a.Key, a.Value)
		case a.Space == "" && a.Key == "xmlns" && a.Value != "":
			r.register("", a.Value)
		}
	}
}

// attr returns the unprefixed attribute name of e and records that the reader knows it, so that
// unknownAttrs can report the others.
func (r *reader) attr(e *etree.Element, name string) (string, bool) {
	used := r.used[e]
	if used == nil {
		used = map[string]bool{}
		r.used[e] = used
	}
	used[name] = true
	for _, a := range e.Attr {
		if a.Space == "" && a.Key == name {
			return a.Value, true
		}
	}
	return "", false
}

// str returns the unprefixed attribute name of e, or "".
func (r *reader) str(e *etree.Element, name string) string {
	v, _ := r.attr(e, name)
	return v
}

// unknownAttrs reports the unprefixed attributes the reader did not ask for on the elements it
// read as model elements: the XSD allows none, and they are not written back.
func (r *reader) unknownAttrs(e *etree.Element) {
	if used, ok := r.used[e]; ok {
		for _, a := range e.Attr {
			if a.Space == "" && a.Key != "xmlns" && !used[a.Key] {
				r.problem(e, bpmn.SeverityWarning, bpmn.ErrUnsupported, a.Key, "unknown attribute %s=%q dropped", a.Key, a.Value)
			}
		}
	}
	for _, c := range e.ChildElements() {
		r.unknownAttrs(c)
	}
}

// ref returns an id reference: a QName's prefix is dropped, since ids are NCNames and a BPMN
// document's elements all live in its target namespace.
func ref(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, ':'); i >= 0 {
		return v[i+1:]
	}
	return v
}

func (r *reader) refAttr(e *etree.Element, name string) string { return ref(r.str(e, name)) }

func (r *reader) boolAttr(e *etree.Element, name string, def bool) bool {
	if b := r.optBool(e, name); b != nil {
		return *b
	}
	return def
}

func (r *reader) optBool(e *etree.Element, name string) *bool {
	v, ok := r.attr(e, name)
	if !ok {
		return nil
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		r.problem(e, bpmn.SeverityError, bpmn.ErrInvalidValue, name, "%s=%q is not a boolean", name, v)
		return nil
	}
	return &b
}

func (r *reader) intAttr(e *etree.Element, name string) int {
	v, ok := r.attr(e, name)
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		r.problem(e, bpmn.SeverityError, bpmn.ErrInvalidValue, name, "%s=%q is not an integer", name, v)
		return 0
	}
	return n
}

func (r *reader) floatAttr(e *etree.Element, name string) float64 {
	if f := r.optFloat(e, name); f != nil {
		return *f
	}
	return 0
}

func (r *reader) optFloat(e *etree.Element, name string) *float64 {
	v, ok := r.attr(e, name)
	if !ok {
		return nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		r.problem(e, bpmn.SeverityError, bpmn.ErrInvalidValue, name, "%s=%q is not a number", name, v)
		return nil
	}
	return &f
}
