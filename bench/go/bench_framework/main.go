// bench_framework: the benchmark subject on mesos-go 0.0.6's scheduler driver
// (api/v0/scheduler), the peer that bench/load_master measures our driver
// against. Same command line and behaviour as bench/bench_framework.cpp:
//
//	bench_framework --master=HOST:PORT --workload=W --n=N
//
// StatusUpdate does nothing (mesos-go acknowledges by itself); every offer is
// declined; for `reconcile` it asks for explicit reconciliation of N tasks once
// registered and prints `reconciled N` after N StatusUpdate callbacks. It runs
// until it is killed.
//
// Built offline in GOPATH mode from Debian's golang-*-dev packages by
// scripts/build_mesos_go_peer.sh.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/gogo/protobuf/proto"
	mesos "github.com/mesos/mesos-go/api/v0/mesosproto"
	util "github.com/mesos/mesos-go/api/v0/mesosutil"
	sched "github.com/mesos/mesos-go/api/v0/scheduler"
)

type benchScheduler struct {
	workload string
	n        int
	updates  int // Callbacks are serialized by the driver's event lock.
}

func (s *benchScheduler) Registered(driver sched.SchedulerDriver, _ *mesos.FrameworkID, _ *mesos.MasterInfo) {
	fmt.Println("registered")
	if s.workload != "reconcile" {
		return
	}
	statuses := make([]*mesos.TaskStatus, 0, s.n)
	for i := 0; i < s.n; i++ {
		statuses = append(statuses, &mesos.TaskStatus{
			TaskId: util.NewTaskID("bench-task-" + strconv.Itoa(i)),
			State:  mesos.TaskState_TASK_RUNNING.Enum(),
		})
	}
	// Called from a goroutine: mesos-go holds its event lock during callbacks and
	// ReconcileTasks takes it too.
	go func() {
		if _, err := driver.ReconcileTasks(statuses); err != nil {
			fmt.Fprintf(os.Stderr, "bench_framework: reconcile: %v\n", err)
		}
	}()
}

func (s *benchScheduler) Reregistered(sched.SchedulerDriver, *mesos.MasterInfo) {}
func (s *benchScheduler) Disconnected(sched.SchedulerDriver)                   {}

func (s *benchScheduler) ResourceOffers(driver sched.SchedulerDriver, offers []*mesos.Offer) {
	for _, offer := range offers {
		if _, err := driver.DeclineOffer(offer.Id, &mesos.Filters{}); err != nil {
			fmt.Fprintf(os.Stderr, "bench_framework: decline: %v\n", err)
		}
	}
}

func (s *benchScheduler) OfferRescinded(sched.SchedulerDriver, *mesos.OfferID) {}

func (s *benchScheduler) StatusUpdate(_ sched.SchedulerDriver, _ *mesos.TaskStatus) {
	s.updates++
	if s.updates == s.n && s.workload == "reconcile" {
		fmt.Printf("reconciled %d\n", s.updates)
	}
}

func (s *benchScheduler) FrameworkMessage(sched.SchedulerDriver, *mesos.ExecutorID, *mesos.SlaveID, string) {
}
func (s *benchScheduler) SlaveLost(sched.SchedulerDriver, *mesos.SlaveID) {}
func (s *benchScheduler) ExecutorLost(sched.SchedulerDriver, *mesos.ExecutorID, *mesos.SlaveID, int) {
}
func (s *benchScheduler) Error(_ sched.SchedulerDriver, message string) {
	fmt.Fprintf(os.Stderr, "bench_framework: error: %s\n", message)
}

func main() {
	// glog would otherwise write log files into $TMPDIR; warnings only, like the
	// C++ subject.
	_ = flag.Set("logtostderr", "true")
	_ = flag.Set("stderrthreshold", "WARNING")
	master := flag.String("master", "", "the master, <ip>:<port>")
	workload := flag.String("workload", "", "updates, latency, offers, reconcile or idle")
	n := flag.Int("n", 0, "workload size")
	flag.Parse()
	if *master == "" {
		fmt.Fprintln(os.Stderr, "usage: bench_framework --master=HOST:PORT --workload=W --n=N")
		os.Exit(2)
	}

	loopback := net.ParseIP("127.0.0.1")
	driver, err := sched.NewMesosSchedulerDriver(sched.DriverConfig{
		Scheduler: &benchScheduler{workload: *workload, n: *n},
		Framework: &mesos.FrameworkInfo{
			User: proto.String("bench"),
			Name: proto.String("bench (mesos-go)"),
		},
		Master:           *master,
		HostnameOverride: loopback.String(),
		BindingAddress:   loopback,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench_framework: %v\n", err)
		os.Exit(1)
	}
	if status, err := driver.Start(); err != nil || status != mesos.Status_DRIVER_RUNNING {
		fmt.Fprintf(os.Stderr, "bench_framework: start: %v %v\n", status, err)
		os.Exit(1)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
	_, _ = driver.Abort()
	os.Exit(0)
}
