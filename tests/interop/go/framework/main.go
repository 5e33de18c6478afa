// framework: a small framework on mesos-go (v0, 0.0.6)'s scheduler driver
// (api/v0/scheduler.MesosSchedulerDriver), used by
// tests/interop/mesos_go_framework_test.cpp to prove that a third-party driver
// works against our simulated master (mesos-local-master).
//
//	framework --master=127.0.0.1:<port> [--tasks=N] [--timeout=60s]
//
// It registers, launches --tasks command tasks (`echo hi`, 0.1 cpus, 16 mem)
// from the offers it gets, declines every offer it does not need, counts
// TASK_FINISHED updates, and stops the driver (unregistering the framework) once
// every task has finished. Progress goes to stdout, one line per event:
//
//	REGISTERED <framework id>
//	LAUNCHED <task id>
//	STATUS <task id> <state>
//	DONE <n>
//
// Exit status: 0 once all tasks finished and the driver stopped; 1 on any error
// (driver error, a task ending in any state but TASK_FINISHED, a failed call),
// on --timeout, or on SIGINT/SIGTERM. It can never hang.
//
// Built offline in GOPATH mode from Debian's golang-*-dev packages; see
// scripts/build_mesos_go_peer.sh.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/gogo/protobuf/proto"
	log "github.com/golang/glog"
	mesos "github.com/mesos/mesos-go/api/v0/mesosproto"
	util "github.com/mesos/mesos-go/api/v0/mesosutil"
	sched "github.com/mesos/mesos-go/api/v0/scheduler"
)

const (
	taskCpus = 0.1
	taskMem  = 16.0
)

var stdoutMu sync.Mutex

// say writes one whole line to stdout (unbuffered in Go) so the test sees it at once.
func say(format string, args ...interface{}) {
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	fmt.Fprintf(os.Stdout, format+"\n", args...)
}

// exampleScheduler launches `total` tasks and reports their progress. Callbacks
// are serialized by the driver; the mutex only guards against the main goroutine.
type exampleScheduler struct {
	mu       sync.Mutex
	total    int
	launched int
	finished int
	// The first outcome ("" = success, else the failure) is sent once.
	outcome chan string
	once    sync.Once
}

func (s *exampleScheduler) finish(failure string) {
	s.once.Do(func() { s.outcome <- failure })
}

func scalar(resources []*mesos.Resource, name string) float64 {
	total := 0.0
	for _, r := range util.FilterResources(resources, func(r *mesos.Resource) bool {
		return r.GetName() == name && r.GetType() == mesos.Value_SCALAR
	}) {
		total += r.GetScalar().GetValue()
	}
	return total
}

func (s *exampleScheduler) Registered(_ sched.SchedulerDriver, id *mesos.FrameworkID, master *mesos.MasterInfo) {
	say("REGISTERED %s", id.GetValue())
	log.Infof("registered with master %s", master.GetPid())
}

func (s *exampleScheduler) Reregistered(_ sched.SchedulerDriver, master *mesos.MasterInfo) {
	log.Infof("re-registered with master %s", master.GetPid())
}

func (s *exampleScheduler) Disconnected(sched.SchedulerDriver) {
	log.Warning("disconnected from the master")
}

func (s *exampleScheduler) ResourceOffers(driver sched.SchedulerDriver, offers []*mesos.Offer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, offer := range offers {
		cpus := scalar(offer.Resources, "cpus")
		mem := scalar(offer.Resources, "mem")
		var tasks []*mesos.TaskInfo
		for s.launched < s.total && cpus >= taskCpus && mem >= taskMem {
			s.launched++
			id := fmt.Sprintf("task-%d", s.launched)
			tasks = append(tasks, &mesos.TaskInfo{
				Name:    proto.String(id),
				TaskId:  util.NewTaskID(id),
				SlaveId: offer.SlaveId,
				Command: util.NewCommandInfo("echo hi"),
				Resources: []*mesos.Resource{
					util.NewScalarResource("cpus", taskCpus),
					util.NewScalarResource("mem", taskMem),
				},
			})
			cpus -= taskCpus
			mem -= taskMem
		}
		if len(tasks) == 0 {
			if _, err := driver.DeclineOffer(offer.Id, &mesos.Filters{RefuseSeconds: proto.Float64(5)}); err != nil {
				s.finish(fmt.Sprintf("declining offer %s: %v", offer.Id.GetValue(), err))
				return
			}
			continue
		}
		if _, err := driver.LaunchTasks([]*mesos.OfferID{offer.Id}, tasks, &mesos.Filters{}); err != nil {
			s.finish(fmt.Sprintf("launching on offer %s: %v", offer.Id.GetValue(), err))
			return
		}
		for _, task := range tasks {
			say("LAUNCHED %s", task.TaskId.GetValue())
		}
	}
}

func (s *exampleScheduler) OfferRescinded(_ sched.SchedulerDriver, id *mesos.OfferID) {
	log.Infof("offer %s rescinded", id.GetValue())
}

func (s *exampleScheduler) StatusUpdate(_ sched.SchedulerDriver, status *mesos.TaskStatus) {
	say("STATUS %s %s", status.TaskId.GetValue(), status.GetState().String())
	s.mu.Lock()
	defer s.mu.Unlock()
	switch status.GetState() {
	case mesos.TaskState_TASK_FINISHED:
		s.finished++
		if s.finished == s.total {
			s.finish("")
		}
	case mesos.TaskState_TASK_STAGING, mesos.TaskState_TASK_STARTING, mesos.TaskState_TASK_RUNNING:
	default:
		s.finish(fmt.Sprintf("task %s ended in %s: %s", status.TaskId.GetValue(),
			status.GetState().String(), status.GetMessage()))
	}
}

func (s *exampleScheduler) FrameworkMessage(_ sched.SchedulerDriver, _ *mesos.ExecutorID, _ *mesos.SlaveID, data string) {
	log.Infof("framework message: %q", data)
}

func (s *exampleScheduler) SlaveLost(_ sched.SchedulerDriver, id *mesos.SlaveID) {
	log.Warningf("agent %s lost", id.GetValue())
}

func (s *exampleScheduler) ExecutorLost(_ sched.SchedulerDriver, id *mesos.ExecutorID, agent *mesos.SlaveID, status int) {
	log.Warningf("executor %s on %s lost (status %d)", id.GetValue(), agent.GetValue(), status)
}

func (s *exampleScheduler) Error(_ sched.SchedulerDriver, message string) {
	s.finish("driver error: " + message)
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "framework: "+format+"\n", args...)
	log.Flush()
	os.Exit(1)
}

func main() {
	// glog would otherwise write log files into $TMPDIR.
	_ = flag.Set("logtostderr", "true")

	master := flag.String("master", "", "the master, <ip>:<port>")
	tasks := flag.Int("tasks", 5, "number of tasks to run")
	timeout := flag.Duration("timeout", 60*time.Second, "fail (exit 1) after this long")
	flag.Parse()

	if *master == "" {
		fail("--master is required")
	}
	if *tasks <= 0 {
		fail("--tasks must be positive")
	}
	// The timer runs from the very start, so nothing below can hang forever.
	timer := time.AfterFunc(*timeout, func() { fail("timed out after %v", *timeout) })
	defer timer.Stop()

	loopback := net.ParseIP("127.0.0.1")
	scheduler := &exampleScheduler{total: *tasks, outcome: make(chan string, 1)}
	driver, err := sched.NewMesosSchedulerDriver(sched.DriverConfig{
		Scheduler: scheduler,
		Framework: &mesos.FrameworkInfo{
			User: proto.String(""), // mesos-go fills in the current user.
			Name: proto.String("mesos-go interop framework"),
		},
		Master:           *master,
		HostnameOverride: loopback.String(),
		BindingAddress:   loopback,
	})
	if err != nil {
		fail("creating the driver: %v", err)
	}
	if status, err := driver.Start(); err != nil || status != mesos.Status_DRIVER_RUNNING {
		fail("starting the driver: status %v, error %v", status, err)
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-signals
		scheduler.finish("signal " + s.String())
	}()

	if failure := <-scheduler.outcome; failure != "" {
		_, _ = driver.Abort()
		fail("%s", failure)
	}
	// Stop(false) unregisters the framework (UnregisterFrameworkMessage), waits
	// 2 s for it to go out, then stops the messenger.
	if status, err := driver.Stop(false); err != nil || status != mesos.Status_DRIVER_STOPPED {
		fail("stopping the driver: status %v, error %v", status, err)
	}
	scheduler.mu.Lock()
	finished := scheduler.finished
	scheduler.mu.Unlock()
	say("DONE %d", finished)
	log.Flush()
}
