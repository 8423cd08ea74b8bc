package k8stest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
)

// ports are the loopback ports of one cluster, picked free when it starts.
type ports struct {
	etcdClient, etcdPeer, apiserver, controllerManager, scheduler int
}

// freePorts asks the kernel for five distinct free loopback ports. They are free when picked, not reserved:
// another program may take one before the component binds it, which start detects (errPortTaken) and retries.
func freePorts() (ports, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	var ps [5]int
	for i := range ps {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return ports{}, fmt.Errorf("free port: %w", err)
		}
		ls = append(ls, l)
		ps[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports{etcdClient: ps[0], etcdPeer: ps[1], apiserver: ps[2], controllerManager: ps[3], scheduler: ps[4]}, nil
}

// errPortTaken says a component could not bind the port picked for it: the start is tried again on others.
var errPortTaken = errors.New("port taken")

// portTaken tells whether the log of a process that exited says it could not bind its port.
func portTaken(p *process) bool {
	data, err := os.ReadFile(p.log)
	return err == nil && strings.Contains(string(data), "address already in use")
}
