package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/toscaflow/toscaflow/docs/examples"
)

// wordpressBody is the POST body of the project's WordPress/MySQL example.
func wordpressBody(b *testing.B) []byte {
	b.Helper()
	body, err := json.Marshal(map[string]any{"template": examples.MustRead("wordpress-mysql.yaml")})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// create POSTs body and returns the new deployment's id. A 429 (the server serves a bounded number of POSTs
// at once) is sent again after the Retry-After it gives, as a client should; refused counts them.
func create(base string, body []byte, refused *atomic.Int64) (string, error) {
	for {
		resp, err := http.Post(base+"/deployments", "application/json", bytes.NewReader(body))
		if err != nil {
			return "", err
		}
		if resp.StatusCode == http.StatusTooManyRequests {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			refused.Add(1)
			secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
			if err != nil || secs < 1 {
				secs = 1
			}
			time.Sleep(time.Duration(secs) * time.Second) // the server's own pacing, not a wait for a condition
			continue
		}
		var d map[string]any
		err = json.NewDecoder(resp.Body).Decode(&d)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusCreated {
			return "", fmt.Errorf("create: %d %v %v", resp.StatusCode, d, err)
		}
		return d["uuid"].(string), nil
	}
}

// waitSettled polls the deployment until it leaves CREATE_IN_PROGRESS and fails the benchmark unless
// it is CREATE_COMPLETE.
func waitSettled(b *testing.B, base, id string) {
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		resp, err := http.Get(base + "/deployments/" + id)
		if err != nil {
			b.Error(err)
			return
		}
		var d map[string]any
		err = json.NewDecoder(resp.Body).Decode(&d)
		resp.Body.Close()
		if err != nil {
			b.Error(err)
			return
		}
		switch d["status"] {
		case "CREATE_IN_PROGRESS":
			continue
		case "CREATE_COMPLETE":
			return
		default:
			b.Errorf("deployment %s: %v (%v)", id, d["status"], d["statusReason"])
			return
		}
	}
	b.Errorf("deployment %s did not settle", id)
}

// waitAllComplete polls the listing until n deployments in all are CREATE_COMPLETE (one request at a time, so
// that polling does not load the server being measured); a failed deployment fails the benchmark.
func waitAllComplete(b *testing.B, base string, n int) {
	for deadline := time.Now().Add(10 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		complete := 0
		for page := 0; ; page++ {
			var p struct {
				Content []struct{ Status, StatusReason string }
				Page    struct{ TotalPages int }
			}
			resp, err := http.Get(fmt.Sprintf("%s/deployments?size=2000&page=%d", base, page))
			if err != nil {
				b.Fatal(err)
			}
			err = json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			for _, d := range p.Content {
				switch d.Status {
				case "CREATE_COMPLETE":
					complete++
				case "CREATE_IN_PROGRESS":
				default:
					b.Fatalf("a deployment is %s: %s", d.Status, d.StatusReason)
				}
			}
			if page+1 >= p.Page.TotalPages {
				break
			}
		}
		if complete >= n {
			return
		}
	}
	b.Fatalf("%d deployments did not all complete", n)
}

// BenchmarkServeWordPress measures the time from POST to CREATE_COMPLETE of the WordPress/MySQL example
// through the HTTP API, on a zero-latency simulated cloud (one deployment at a time).
func BenchmarkServeWordPress(b *testing.B) {
	body := wordpressBody(b)
	base, _ := startServe(b, serveConfig{CheckPeriod: 10 * time.Millisecond})
	b.ResetTimer()
	var refused atomic.Int64
	for b.Loop() {
		id, err := create(base, body, &refused)
		if err != nil {
			b.Fatal(err)
		}
		waitSettled(b, base, id)
	}
}

// BenchmarkServeThousand submits 1,000 WordPress deployments at once and measures the time until all are
// complete, with the peak heap in use while they run. The server admits all of them at once (max-in-flight
// 1000), as the figure asks; with the default admission limit the client's Retry-After pacing, not
// the orchestrator, would set the time.
func BenchmarkServeThousand(b *testing.B) {
	const n = 1000
	body := wordpressBody(b)
	base, _ := startServe(b, serveConfig{CheckPeriod: 10 * time.Millisecond, Limits: requestLimits{InFlight: n}})
	var peak uint64
	var refused atomic.Int64
	total := 0 // the server keeps the deployments of earlier iterations
	for b.Loop() {
		total += n
		stop := make(chan struct{})
		var sampler sync.WaitGroup
		sampler.Go(func() {
			var ms runtime.MemStats
			tick := time.NewTicker(50 * time.Millisecond)
			defer tick.Stop()
			for {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
				select {
				case <-stop:
					return
				case <-tick.C:
				}
			}
		})
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				if _, err := create(base, body, &refused); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		waitAllComplete(b, base, total)
		close(stop)
		sampler.Wait()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	// POSTs refused with 429 and sent again after Retry-After (the server admits a bounded number at once).
	b.ReportMetric(float64(refused.Load())/float64(b.N), "refused/op")
}
