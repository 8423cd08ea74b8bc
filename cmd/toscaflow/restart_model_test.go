//go:build linux

package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tracked is a deployment the experiment created (its POST was answered) and what it must end as.
type tracked struct {
	id string
	// v is the template it has, as far as the answers tell.
	v variant
	// updated: an update took effect, so that it ends UPDATE_COMPLETE rather than CREATE_COMPLETE.
	updated bool
	deleted bool
	// unsure is a PUT or DELETE that got no answer: the server, once up again, tells whether it took effect.
	unsure *request
}

// request is one HTTP request of the workload, sent on a goroutine of its own at delay after the
// cycle began: it may be answered, cut by the kill while in flight, or meet no server at all.
type request struct {
	method string
	dep    *tracked // PUT, DELETE
	v      variant  // POST, PUT: the template sent
	delay  time.Duration
	got    answer
}

func (r *request) String() string {
	switch r.method {
	case http.MethodPost:
		return fmt.Sprintf("POST %v", r.v)
	case http.MethodPut:
		return fmt.Sprintf("PUT %s %v", r.dep.id, r.v)
	}
	return fmt.Sprintf("DELETE %s", r.dep.id)
}

// model is what the experiment knows of the deployments from the answers it got, and its figures.
type model struct {
	t    *testing.T
	deps map[string]*tracked
	// lostPosts counts the POSTs that got no answer, by template name: each may have created a
	// deployment the test does not know of, which must then complete like any other.
	lostPosts map[string]int
	// unknown are the deployments of unanswered POSTs, found at the end, by id.
	unknown map[string]variant
	// failed are the deployments that failed because injected faults outlasted every retry, by id, with
	// their status.
	failed map[string]string
	// answers counts the requests by method and answer ("PUT 202", "POST no answer"); unanswered counts
	// the unanswered ones by whether they took effect ("DELETE took effect").
	answers, unanswered map[string]int
}

func newModel(t *testing.T) *model {
	return &model{t: t, deps: map[string]*tracked{}, lostPosts: map[string]int{}, unknown: map[string]variant{}, failed: map[string]string{}, answers: map[string]int{},
		unanswered: map[string]int{}}
}

// sortedDeps returns the tracked deployments by id, so that the schedule depends on the seed alone.
func (m *model) sortedDeps() []*tracked {
	out := make([]*tracked, 0, len(m.deps))
	for _, id := range sortedKeys(m.deps) {
		out = append(out, m.deps[id])
	}
	return out
}

// resolve asks the server (up again after a kill) what the unanswered PUTs and DELETEs did: a request
// that got no answer took effect completely or not at all.
func (m *model) resolve(base string) {
	t := m.t
	for _, d := range m.sortedDeps() {
		r := d.unsure
		if r == nil {
			continue
		}
		d.unsure = nil
		switch r.method {
		case http.MethodDelete:
			s := status(t, base, d.id)
			d.deleted = s == "GONE" || s == "DELETE_IN_PROGRESS"
			m.unanswered[effect(r.method, d.deleted)]++
		case http.MethodPut:
			text := deploymentTemplate(t, base, d.id)
			took := text == templateText(t, r.v)
			if took {
				d.v, d.updated = r.v, true
			} else {
				assert.Equal(t, templateText(t, d.v), text, "deployment %s: an unanswered PUT changed its template partly", d.id)
			}
			m.unanswered[effect(r.method, took)]++
		}
	}
}

func effect(method string, took bool) string {
	if took {
		return method + " took effect"
	}
	return method + " had no effect"
}

// plan draws the requests of a cycle that ends with a kill at moment: a few early ones, mostly answered,
// and a burst just before the kill, likely in flight when it lands. A PUT or DELETE goes to a deployment
// whose state is known (the server was asked, just before), one request per deployment; a PUT only to a
// deployment that may be updated, flipping its extra node; a DELETE often to one whose plan is under way.
func (m *model) plan(rng *rand.Rand, base string, names []string, moment time.Duration) []*request {
	var puttable, deletable, busy []*tracked
	for _, d := range m.sortedDeps() {
		if d.deleted {
			continue
		}
		deletable = append(deletable, d)
		switch status(m.t, base, d.id) {
		case "CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_FAILED":
			puttable = append(puttable, d)
		case "CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS":
			busy = append(busy, d)
		}
	}
	used := map[*tracked]bool{}
	pick := func(from []*tracked) *tracked {
		var free []*tracked
		for _, d := range from {
			if !used[d] {
				free = append(free, d)
			}
		}
		if len(free) == 0 {
			return nil
		}
		d := free[rng.IntN(len(free))]
		used[d] = true
		return d
	}
	early, burst := rng.IntN(3), 1+rng.IntN(3)
	var reqs []*request
	for i := range early + burst {
		r := &request{}
		if i < early {
			r.delay = time.Duration(rng.Int64N(int64(moment/2) + 1))
		} else {
			r.delay = max(0, moment-time.Duration(rng.Int64N(int64(150*time.Millisecond))))
		}
		switch p := rng.IntN(20); {
		case p < 7:
			if r.dep = pick(puttable); r.dep != nil {
				r.method, r.v = http.MethodPut, variant{name: r.dep.v.name, extra: !r.dep.v.extra}
			}
		case p < 12:
			// Most deletes stop a plan under way: its creates in flight land late, and what they made
			// must be disposed of (also when a kill cuts that dispose).
			if p < 10 {
				r.dep = pick(busy)
			}
			if r.dep == nil {
				r.dep = pick(deletable)
			}
			if r.dep != nil {
				r.method = http.MethodDelete
			}
		}
		if r.method == "" {
			r.method, r.v = http.MethodPost, variant{name: names[rng.IntN(len(names))]}
		}
		reqs = append(reqs, r)
	}
	return reqs
}

// send sends each request on its own goroutine at its delay; wait returns once every one has its
// answer (or none).
func send(t *testing.T, base string, reqs []*request) (wait func()) {
	var wg sync.WaitGroup
	began := time.Now()
	for _, r := range reqs {
		url := base + "/deployments"
		var body []byte
		switch r.method {
		case http.MethodPost:
			body = requestBody(t, r.v)
		case http.MethodPut:
			url, body = url+"/"+r.dep.id, requestBody(t, r.v)
		case http.MethodDelete:
			url += "/" + r.dep.id
		}
		wg.Go(func() {
			<-time.After(r.delay - time.Since(began)) // the request's moment in the schedule
			r.got = do(inflightClient, r.method, url, body)
		})
	}
	return wg.Wait
}

// apply records what the answers tell; a request without an answer leaves its deployment unsure (PUT,
// DELETE) or may have created one (POST).
func (m *model) apply(reqs []*request) {
	t := m.t
	for _, r := range reqs {
		m.answers[r.method+" "+r.got.String()]++
		if r.got.err != nil {
			switch r.method {
			case http.MethodPost:
				m.lostPosts[r.v.name]++
			default:
				r.dep.unsure = r
			}
			continue
		}
		switch {
		case r.method == http.MethodPost && r.got.code == http.StatusCreated:
			id := uuidOf(r.got.body)
			require.NotEmpty(t, id, "POST %v: %s", r.v, r.got.body)
			m.deps[id] = &tracked{id: id, v: r.v}
		case r.method == http.MethodPut && r.got.code == http.StatusAccepted:
			r.dep.v, r.dep.updated = r.v, true
		case r.method == http.MethodDelete && r.got.code == http.StatusNoContent:
			r.dep.deleted = true
		case r.got.code == http.StatusTooManyRequests:
			// Refused by the limit of POSTs and PUTs served at once: no effect.
		default:
			t.Errorf("%v: unexpected answer %d %s", r, r.got.code, r.got.body)
		}
	}
}

// stableUnit tells whether a unit ("<deployment>/<unit>") keeps its resource for the whole experiment
// when no fault is injected: a unit of a known deployment's example (not the extra node, which
// updates add and remove).
func (m *model) stableUnit(ref reference) func(string) bool {
	return func(unit string) bool {
		dep, name := splitUnit(unit)
		d := m.deps[dep]
		return d != nil && slices.Contains(ref[variant{name: d.v.name}].units, name)
	}
}

func (m *model) deletedCount() int {
	n := 0
	for _, d := range m.deps {
		if d.deleted {
			n++
		}
	}
	return n
}

// report logs the figures of the requests.
func (m *model) report() {
	m.t.Logf("requests: %v; unanswered: %v", m.answers, m.unanswered)
}
