// v1_framework: a small framework on mesos-go's v1 scheduler HTTP library
// (api/v1/lib: httpcli, httpcli/httpsched, scheduler/calls, scheduler/events,
// encoding/codecs), used by tests/interop/mesos_go_v1_framework_test.cpp to
// prove that a third-party v1 HTTP client works against our simulated master
// (mesos-local-master) on /api/v1/scheduler.
//
//	v1_framework --master=http://127.0.0.1:<port> [--tasks=N] [--command=true]
//	             [--name=...] [--timeout=60s] [--codec=protobuf|json]
//
// It SUBSCRIBEs (one long POST whose response is the RecordIO event stream),
// launches --tasks command tasks (0.1 cpus, 16 mem each) with ACCEPT calls,
// DECLINEs every offer it does not need, ACKNOWLEDGEs every UPDATE that carries
// a uuid (there are no implicit acknowledgements in v1), and once every task has
// reached TASK_FINISHED sends TEARDOWN and waits for the master to end the
// stream. Progress goes to stdout, one line per event:
//
//	SUBSCRIBED <framework id> <Mesos-Stream-Id> <heartbeat interval seconds>
//	LAUNCHED <task id> <agent id>
//	STATUS <task id> <state> <acked|noack>
//	SUMMARY framework_id=<id> codec=<c> tasks=<n> launched=<n> finished=<n> acks=<n>
//	        updates=<n> offers=<n> declined=<n> heartbeats=<n> stream_end=<eof|...>
//	        elapsed_ms=<ms>                                    (one line)
//
// Exit status: 0 once all tasks finished, TEARDOWN was accepted (202) and the
// master closed the event stream; 1 on any failure (a refused call, an ERROR
// event, the stream ending early, a task ending in any state but
// TASK_FINISHED, a malformed event), on --timeout, or on SIGINT/SIGTERM, with a
// `v1_framework: <reason>` line on stderr. It can never hang.
//
// Built offline in GOPATH mode from Debian's golang-*-dev packages; see
// scripts/build_mesos_go_peer.sh.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"os/user"
	"strings"
	"sync"
	"syscall"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/encoding"
	"github.com/mesos/mesos-go/api/v1/lib/encoding/codecs"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli/httpsched"
	"github.com/mesos/mesos-go/api/v1/lib/resources"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler/calls"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler/events"
)

const (
	taskCpus = 0.1
	taskMem  = 16.0
	// After TEARDOWN is accepted the master must end the event stream.
	streamEndWait = 10 * time.Second
)

var stdoutMu sync.Mutex

// say writes one whole line to stdout (unbuffered in Go) so the test sees it at once.
func say(format string, args ...interface{}) {
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	fmt.Fprintf(os.Stdout, format+"\n", args...)
}

func fail(format string, args ...interface{}) {
	stdoutMu.Lock() // no stdout line may follow the failure
	fmt.Fprintf(os.Stderr, "v1_framework: "+format+"\n", args...)
	os.Exit(1)
}

func logf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "v1_framework: "+format+"\n", args...)
}

// framework is the event handler's state; events are handled one at a time by
// the main goroutine, so it needs no lock.
type framework struct {
	caller  calls.Caller
	id      string
	command string
	total   int

	launched   int
	finished   int
	acks       int
	updates    int
	offers     int
	declined   int
	heartbeats int
	// tasks whose TASK_FINISHED was seen, so a redelivered update is not counted twice.
	done map[string]bool
}

// call sends one non-SUBSCRIBE call carrying the framework id; mesos-go adds
// the Mesos-Stream-Id header and maps any non-2xx answer to an error.
func (f *framework) call(ctx context.Context, c *scheduler.Call) error {
	return calls.CallNoData(ctx, f.caller, c.With(calls.Framework(f.id)))
}

func scalar(rs []mesos.Resource, name string) float64 {
	total := 0.0
	for i := range rs {
		if rs[i].GetName() == name && rs[i].GetType() == mesos.SCALAR {
			total += rs[i].GetScalar().GetValue()
		}
	}
	return total
}

func (f *framework) subscribed(_ context.Context, e *scheduler.Event) error {
	s := e.GetSubscribed()
	if s == nil || s.GetFrameworkID().GetValue() == "" {
		return errors.New("SUBSCRIBED event without a framework id")
	}
	if f.id != "" {
		return fmt.Errorf("a second SUBSCRIBED event (%s) on one stream", s.GetFrameworkID().GetValue())
	}
	f.id = s.GetFrameworkID().GetValue()
	return nil
}

func (f *framework) offersEvent(ctx context.Context, e *scheduler.Event) error {
	if f.id == "" {
		return errors.New("OFFERS before SUBSCRIBED")
	}
	for _, offer := range e.GetOffers().GetOffers() {
		f.offers++
		cpus := scalar(offer.Resources, "cpus")
		mem := scalar(offer.Resources, "mem")
		var tasks []mesos.TaskInfo
		for f.launched+len(tasks) < f.total && cpus >= taskCpus && mem >= taskMem {
			id := fmt.Sprintf("task-%d", f.launched+len(tasks)+1)
			tasks = append(tasks, mesos.TaskInfo{
				Name:    id,
				TaskID:  mesos.TaskID{Value: id},
				AgentID: offer.AgentID,
				Command: &mesos.CommandInfo{Value: &f.command},
				Resources: []mesos.Resource{
					resources.NewCPUs(taskCpus).Resource,
					resources.NewMemory(taskMem).Resource,
				},
			})
			cpus -= taskCpus
			mem -= taskMem
		}
		if len(tasks) == 0 {
			if err := f.call(ctx, calls.Decline(offer.ID).With(calls.RefuseSeconds(5*time.Second))); err != nil {
				return fmt.Errorf("DECLINE of offer %s: %v", offer.ID.Value, err)
			}
			f.declined++
			continue
		}
		accept := calls.Accept(calls.OfferOperations{calls.OpLaunch(tasks...)}.WithOffers(offer.ID))
		if err := f.call(ctx, accept.With(calls.RefuseSeconds(time.Second))); err != nil {
			return fmt.Errorf("ACCEPT of offer %s: %v", offer.ID.Value, err)
		}
		f.launched += len(tasks)
		for i := range tasks {
			say("LAUNCHED %s %s", tasks[i].TaskID.Value, offer.AgentID.Value)
		}
	}
	return nil
}

func (f *framework) update(ctx context.Context, e *scheduler.Event) error {
	status := e.GetUpdate().GetStatus()
	f.updates++
	task := status.TaskID.Value
	acked := "noack"
	// v1 has no implicit acknowledgements: an update with a uuid is resent by
	// the agent until it is acknowledged; one without must not be acknowledged.
	if uuid := status.GetUUID(); len(uuid) > 0 {
		ack := calls.Acknowledge(status.GetAgentID().GetValue(), task, uuid)
		if err := f.call(ctx, ack); err != nil {
			return fmt.Errorf("ACKNOWLEDGE of %s %s: %v", task, status.GetState(), err)
		}
		f.acks++
		acked = "acked"
	}
	say("STATUS %s %s %s", task, status.GetState(), acked)
	switch status.GetState() {
	case mesos.TASK_FINISHED:
		if !f.done[task] {
			f.done[task] = true
			f.finished++
		}
	case mesos.TASK_STAGING, mesos.TASK_STARTING, mesos.TASK_RUNNING:
	default:
		return fmt.Errorf("task %s ended in %s: %s", task, status.GetState(), status.GetMessage())
	}
	return nil
}

func (f *framework) handler() events.Handler {
	return events.HandlerFuncs{
		scheduler.Event_SUBSCRIBED: f.subscribed,
		scheduler.Event_OFFERS:     f.offersEvent,
		scheduler.Event_UPDATE:     f.update,
		scheduler.Event_HEARTBEAT: func(context.Context, *scheduler.Event) error {
			f.heartbeats++
			return nil
		},
		scheduler.Event_ERROR: func(_ context.Context, e *scheduler.Event) error {
			return fmt.Errorf("ERROR event: %s", e.GetError().GetMessage())
		},
		scheduler.Event_RESCIND: func(_ context.Context, e *scheduler.Event) error {
			logf("offer %s rescinded", e.GetRescind().OfferID.Value)
			return nil
		},
		scheduler.Event_FAILURE: func(_ context.Context, e *scheduler.Event) error {
			logf("FAILURE event: %s", e.GetFailure().String())
			return nil
		},
		scheduler.Event_MESSAGE: func(_ context.Context, e *scheduler.Event) error {
			logf("MESSAGE event from %s", e.GetMessage().ExecutorID.Value)
			return nil
		},
	}.Otherwise(func(_ context.Context, e *scheduler.Event) error {
		logf("ignoring %s event", e.GetType())
		return nil
	})
}

// streamID digs the Mesos-Stream-Id out of the SUBSCRIBE response that
// httpsched wraps (it keeps the id for itself); "-" if the shape differs.
func streamID(resp mesos.Response) string {
	if w, ok := resp.(*mesos.ResponseWrapper); ok {
		resp = w.Response
	}
	if r, ok := resp.(*httpcli.Response); ok && r.Header.Get("Mesos-Stream-Id") != "" {
		return r.Header.Get("Mesos-Stream-Id")
	}
	return "-"
}

// endpoint turns http://host:port (any path) into the scheduler API URL.
func endpoint(master string) (string, error) {
	u, err := url.Parse(master)
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" || u.Host == "" {
		return "", fmt.Errorf("want http://<host>:<port>, got %q", master)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/api/v1/scheduler"
	}
	return u.String(), nil
}

func main() {
	master := flag.String("master", "", "the master, http://<ip>:<port> (path defaults to /api/v1/scheduler)")
	tasks := flag.Int("tasks", 5, "number of command tasks to run")
	command := flag.String("command", "true", "each task's shell command")
	name := flag.String("name", "mesos-go v1 interop framework", "FrameworkInfo.name")
	timeout := flag.Duration("timeout", 60*time.Second, "fail (exit 1) after this long")
	codecName := flag.String("codec", codecs.NameProtobuf, "request/event encoding: protobuf or json")
	flag.Parse()

	if *master == "" {
		fail("--master is required")
	}
	if *tasks <= 0 {
		fail("--tasks must be positive")
	}
	var codec encoding.Codec
	switch *codecName {
	case codecs.NameProtobuf:
		codec = codecs.ByMediaType[codecs.MediaTypeProtobuf]
	case codecs.NameJSON:
		codec = codecs.ByMediaType[codecs.MediaTypeJSON]
	default:
		fail("--codec must be %s or %s, not %q", codecs.NameProtobuf, codecs.NameJSON, *codecName)
	}
	apiURL, err := endpoint(*master)
	if err != nil {
		fail("--master: %v", err)
	}
	// The timer runs from the very start, so nothing below can hang forever;
	// the context also aborts a blocked request or stream read a bit earlier.
	start := time.Now()
	timer := time.AfterFunc(*timeout, func() { fail("timed out after %v", *timeout) })
	defer timer.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() { fail("signal %v", <-signals) }()

	userName := "root"
	if u, err := user.Current(); err == nil && u.Username != "" {
		userName = u.Username
	}
	hostname := "127.0.0.1"

	cli := httpcli.New(httpcli.Endpoint(apiURL), httpcli.Codec(codec))
	f := &framework{
		caller:  httpsched.NewCaller(cli),
		command: *command,
		total:   *tasks,
		done:    map[string]bool{},
	}

	subscribe := calls.Subscribe(&mesos.FrameworkInfo{
		User:     userName,
		Name:     *name,
		Hostname: &hostname,
	})
	resp, err := f.caller.Call(ctx, subscribe)
	if err != nil {
		fail("SUBSCRIBE to %s: %v", apiURL, err)
	}
	defer resp.Close()
	stream := streamID(resp)

	handler := f.handler()
	for f.finished < f.total {
		var e scheduler.Event
		if err := resp.Decode(&e); err != nil {
			if err == io.EOF {
				fail("the master ended the event stream before all tasks finished (%d of %d)", f.finished, f.total)
			}
			fail("reading the event stream: %v", err)
		}
		if e.GetType() == scheduler.Event_UNKNOWN {
			fail("event of type UNKNOWN (%d) on the stream", int32(e.GetType()))
		}
		first := f.id == ""
		if first && e.GetType() != scheduler.Event_SUBSCRIBED {
			fail("first event is %s, not SUBSCRIBED", e.GetType())
		}
		if err := handler.HandleEvent(ctx, &e); err != nil {
			fail("%v", err)
		}
		if first {
			say("SUBSCRIBED %s %s %g", f.id, stream, e.GetSubscribed().GetHeartbeatIntervalSeconds())
		}
	}

	// All tasks finished and acknowledged: TEARDOWN removes the framework and
	// the master then closes the stream (after any events already queued).
	if err := f.call(ctx, &scheduler.Call{Type: scheduler.Call_TEARDOWN}); err != nil {
		fail("TEARDOWN: %v", err)
	}
	endCtx, endCancel := context.WithTimeout(ctx, streamEndWait)
	defer endCancel()
	ended := make(chan error, 1)
	go func() {
		for {
			var e scheduler.Event
			if err := resp.Decode(&e); err != nil {
				ended <- err
				return
			}
			if e.GetType() == scheduler.Event_ERROR {
				ended <- fmt.Errorf("ERROR event after TEARDOWN: %s", e.GetError().GetMessage())
				return
			}
			if e.GetType() == scheduler.Event_HEARTBEAT {
				f.heartbeats++ // the main goroutine only waits below
			}
		}
	}()
	streamEnd := ""
	select {
	case err := <-ended:
		switch {
		case err == io.EOF:
			streamEnd = "eof"
		case errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF"):
			// The connection closed without the final empty chunk.
			streamEnd = "unexpected-eof"
		default:
			fail("after TEARDOWN: %v", err)
		}
	case <-endCtx.Done():
		fail("the master did not close the event stream within %v of TEARDOWN", streamEndWait)
	}

	say("SUMMARY framework_id=%s codec=%s tasks=%d launched=%d finished=%d acks=%d updates=%d "+
		"offers=%d declined=%d heartbeats=%d stream_end=%s elapsed_ms=%d",
		f.id, codec.Name, f.total, f.launched, f.finished, f.acks, f.updates,
		f.offers, f.declined, f.heartbeats, streamEnd, time.Since(start).Milliseconds())
}
