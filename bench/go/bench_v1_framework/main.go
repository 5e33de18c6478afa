// bench_v1_framework: the benchmark subject on mesos-go's v1 scheduler HTTP
// library (api/v1/lib/httpcli/httpsched), run by bench/load_master as subject
// "mesos-go-v1". Same command line and behaviour as bench/bench_framework.cpp
// and bench/go/bench_framework, the v1 way:
//
//	bench_v1_framework --master=HOST:PORT --workload=W --n=N [--codec=protobuf|json]
//
// It SUBSCRIBEs to http://HOST:PORT/api/v1/scheduler and prints `registered`
// on SUBSCRIBED. Every UPDATE that carries a uuid is acknowledged with an
// explicit ACKNOWLEDGE call (v1 has no implicit acknowledgements); every offer
// is declined with one DECLINE call; for `reconcile` it sends one RECONCILE for
// N tasks once subscribed and prints `reconciled N` after N UPDATE events.
// Events are handled one at a time on the goroutine that reads the stream, each
// call waiting for its answer, as a framework written on the library's
// Caller does. It runs until it is killed; any refused call or the end of the
// stream is reported on stderr and exits 1.
//
// Built offline in GOPATH mode from Debian's golang-*-dev packages by
// scripts/build_mesos_go_peer.sh.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/encoding/codecs"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli/httpsched"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler/calls"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "bench_v1_framework: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	master := flag.String("master", "", "the master, <ip>:<port>")
	workload := flag.String("workload", "", "updates, latency, offers, reconcile or idle")
	n := flag.Int("n", 0, "workload size")
	codecName := flag.String("codec", codecs.NameProtobuf, "protobuf or json")
	flag.Parse()
	if *master == "" {
		fmt.Fprintln(os.Stderr, "usage: bench_v1_framework --master=HOST:PORT --workload=W --n=N")
		os.Exit(2)
	}
	codec := codecs.ByMediaType[codecs.MediaTypeProtobuf]
	if *codecName == codecs.NameJSON {
		codec = codecs.ByMediaType[codecs.MediaTypeJSON]
	} else if *codecName != codecs.NameProtobuf {
		fail("--codec must be protobuf or json")
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-signals
		os.Exit(0)
	}()

	ctx := context.Background()
	caller := httpsched.NewCaller(httpcli.New(
		httpcli.Endpoint("http://"+*master+"/api/v1/scheduler"), httpcli.Codec(codec)))
	resp, err := caller.Call(ctx, calls.Subscribe(&mesos.FrameworkInfo{
		User: "bench",
		Name: "bench (mesos-go v1)",
	}))
	if err != nil {
		fail("subscribe: %v", err)
	}
	defer resp.Close()

	var frameworkID string
	call := func(c *scheduler.Call) {
		if err := calls.CallNoData(ctx, caller, c.With(calls.Framework(frameworkID))); err != nil {
			fail("%s: %v", c.GetType(), err)
		}
	}
	updates := 0
	for {
		var e scheduler.Event
		if err := resp.Decode(&e); err != nil {
			fail("event stream: %v", err)
		}
		switch e.GetType() {
		case scheduler.Event_SUBSCRIBED:
			frameworkID = e.GetSubscribed().GetFrameworkID().GetValue()
			fmt.Println("registered")
			if *workload == "reconcile" {
				tasks := make([]scheduler.Call_Reconcile_Task, 0, *n)
				for i := 0; i < *n; i++ {
					tasks = append(tasks, scheduler.Call_Reconcile_Task{
						TaskID: mesos.TaskID{Value: "bench-task-" + strconv.Itoa(i)},
					})
				}
				call(&scheduler.Call{
					Type:      scheduler.Call_RECONCILE,
					Reconcile: &scheduler.Call_Reconcile{Tasks: tasks},
				})
			}
		case scheduler.Event_OFFERS:
			for _, offer := range e.GetOffers().GetOffers() {
				call(calls.Decline(offer.ID))
			}
		case scheduler.Event_UPDATE:
			status := e.GetUpdate().GetStatus()
			if uuid := status.GetUUID(); len(uuid) > 0 {
				call(calls.Acknowledge(status.GetAgentID().GetValue(), status.TaskID.Value, uuid))
			}
			updates++
			if updates == *n && *workload == "reconcile" {
				fmt.Printf("reconciled %d\n", updates)
			}
		case scheduler.Event_ERROR:
			fail("ERROR event: %s", e.GetError().GetMessage())
		}
	}
}
