package k8stest

import (
	"context"
	"log/slog"
	"os"
	"path"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

// provisioner is what a dynamic provisioner does, in a few lines: for every pending claim of its storage
// class it creates a hostPath volume of the claim's size, reserved for that claim (claimRef), and lets the
// controller manager's volume controller bind the two; it deletes its volumes once their claim is gone
// (reclaim policy Delete). Nothing is mounted anywhere: kwok runs no containers, so the path only has to
// be well-formed.
type provisioner struct {
	client  kubernetes.Interface
	class   string
	log     *slog.Logger
	logFile *os.File
	cancel  context.CancelFunc
	factory informers.SharedInformerFactory
}

// provisionerResync is how often the informers hand every claim and volume to the handlers again, so that
// a call that failed is tried again.
const provisionerResync = time.Second

// provisionerCallTimeout bounds one API call of the provisioner.
const provisionerCallTimeout = 10 * time.Second

// provisionedBy is the annotation a provisioner signs its volumes with (the volume controller leaves their
// deletion to it).
const provisionedBy = "pv.kubernetes.io/provisioned-by"

// hostPathRoot is where the volumes would be on the node.
const hostPathRoot = "/var/lib/k8stest"

// startProvisioner starts serving the claims of class; it logs what it does to logPath.
func startProvisioner(client kubernetes.Interface, class, logPath string) *provisioner {
	p := &provisioner{client: client, class: class}
	out, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err == nil {
		p.logFile = out
		p.log = slog.New(slog.NewTextHandler(out, nil))
	} else {
		p.log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.factory = informers.NewSharedInformerFactory(client, provisionerResync)
	claims := p.factory.Core().V1().PersistentVolumeClaims().Informer()
	_, _ = claims.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { p.provision(ctx, obj) },
		UpdateFunc: func(_, obj any) { p.provision(ctx, obj) },
	})
	volumes := p.factory.Core().V1().PersistentVolumes().Informer()
	_, _ = volumes.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { p.reclaim(ctx, obj) },
		UpdateFunc: func(_, obj any) { p.reclaim(ctx, obj) },
	})
	p.factory.Start(ctx.Done())
	return p
}

// stop stops the informers and waits for their handlers to return.
func (p *provisioner) stop() {
	p.cancel()
	p.factory.Shutdown()
	if p.logFile != nil {
		_ = p.logFile.Close()
	}
}

// provision creates the volume of a pending claim of the class.
func (p *provisioner) provision(ctx context.Context, obj any) {
	pvc, ok := obj.(*corev1.PersistentVolumeClaim)
	if !ok || pvc.Spec.VolumeName != "" || pvc.Status.Phase != corev1.ClaimPending || pvc.DeletionTimestamp != nil ||
		pvc.Spec.StorageClassName == nil || *pvc.Spec.StorageClassName != p.class {
		return
	}
	size := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
	pv := &corev1.PersistentVolume{
		// Named after the claim's uid, as dynamic provisioners do: a second pass creates nothing new.
		ObjectMeta: metav1.ObjectMeta{Name: "pvc-" + string(pvc.UID),
			Annotations: map[string]string{provisionedBy: provisionerName}},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:    corev1.ResourceList{corev1.ResourceStorage: size},
			AccessModes: pvc.Spec.AccessModes,
			ClaimRef: &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID},
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			StorageClassName:              p.class,
			VolumeMode:                    pvc.Spec.VolumeMode,
			PersistentVolumeSource: corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{
				Path: path.Join(hostPathRoot, pvc.Namespace, pvc.Name), Type: ptr(corev1.HostPathDirectoryOrCreate)}},
		},
	}
	cctx, cancel := context.WithTimeout(ctx, provisionerCallTimeout)
	defer cancel()
	_, err := p.client.CoreV1().PersistentVolumes().Create(cctx, pv, metav1.CreateOptions{})
	switch {
	case apierrors.IsAlreadyExists(err):
	case err != nil:
		p.log.Error("create volume", "claim", pvc.Namespace+"/"+pvc.Name, "volume", pv.Name, "err", err)
	default:
		p.log.Info("created volume", "claim", pvc.Namespace+"/"+pvc.Name, "volume", pv.Name, "size", size.String())
	}
}

// reclaim deletes a volume of this provisioner whose claim is gone.
func (p *provisioner) reclaim(ctx context.Context, obj any) {
	pv, ok := obj.(*corev1.PersistentVolume)
	if !ok || pv.Annotations[provisionedBy] != provisionerName || pv.DeletionTimestamp != nil ||
		pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete ||
		(pv.Status.Phase != corev1.VolumeReleased && pv.Status.Phase != corev1.VolumeFailed) {
		return
	}
	cctx, cancel := context.WithTimeout(ctx, provisionerCallTimeout)
	defer cancel()
	err := p.client.CoreV1().PersistentVolumes().Delete(cctx, pv.Name, metav1.DeleteOptions{})
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		p.log.Error("delete volume", "volume", pv.Name, "err", err)
	default:
		p.log.Info("deleted volume", "volume", pv.Name)
	}
}

func ptr[T any](v T) *T { return &v }
