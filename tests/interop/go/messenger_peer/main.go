// messenger_peer: a mesos-go (v0, 0.0.6) messenger used as the far end of the
// C++ transport interop test (tests/interop/mesos_go_interop_test.cpp).
//
// It listens on 127.0.0.1 (ephemeral port) with mesos-go's HTTPTransporter,
// prints "UPID <upid>" as its first stdout line, and handles
// mesos.internal.FrameworkToExecutorMessage, whose `data` field carries a
// decimal sequence number:
//   - every message received prints "RECEIVED <n>" and is echoed, unchanged, to
//     its sender (unless --echo=false);
//   - with --peer=<upid> --count=N it sends N messages 0..N-1, in order, to the
//     peer, then prints "SENT <N>" once they are all queued.
//
// It exits on stdin EOF, SIGINT/SIGTERM, or after --timeout, so it can never
// outlive the test that started it.
//
// Built offline in GOPATH mode from Debian's golang-*-dev packages; see
// scripts/build_mesos_go_peer.sh.
package main

import (
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"net"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/gogo/protobuf/proto"
	log "github.com/golang/glog"
	mesos "github.com/mesos/mesos-go/api/v0/mesosproto"
	"github.com/mesos/mesos-go/api/v0/messenger"
	"github.com/mesos/mesos-go/api/v0/upid"
	"golang.org/x/net/context"
)

var stdoutMu sync.Mutex

// say writes one whole line to stdout (unbuffered in Go) so the test can read it
// as soon as it happens.
func say(format string, args ...interface{}) {
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	fmt.Fprintf(os.Stdout, format+"\n", args...)
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "messenger_peer: "+format+"\n", args...)
	log.Flush()
	os.Exit(1)
}

// message builds the payload for sequence number n; every required field is set.
func message(n int) *mesos.FrameworkToExecutorMessage {
	return &mesos.FrameworkToExecutorMessage{
		SlaveId:     &mesos.SlaveID{Value: proto.String("interop-slave")},
		FrameworkId: &mesos.FrameworkID{Value: proto.String("interop-framework")},
		ExecutorId:  &mesos.ExecutorID{Value: proto.String("interop-executor")},
		Data:        []byte(strconv.Itoa(n)),
	}
}

func main() {
	// glog would otherwise write log files into $TMPDIR.
	_ = flag.Set("logtostderr", "true")

	id := flag.String("id", "peer", "process id of this messenger")
	peerFlag := flag.String("peer", "", "UPID to send --count messages to")
	count := flag.Int("count", 0, "number of messages to send to --peer")
	echo := flag.Bool("echo", true, "echo every received message back to its sender")
	timeout := flag.Duration("timeout", 60*time.Second, "exit after this long regardless")
	flag.Parse()

	if *count < 0 {
		fail("--count must not be negative")
	}
	var peer *upid.UPID
	if *peerFlag != "" {
		p, err := upid.Parse(*peerFlag)
		if err != nil {
			fail("bad --peer %q: %v", *peerFlag, err)
		}
		peer = p
	} else if *count > 0 {
		fail("--count needs --peer")
	}

	loopback := net.ParseIP("127.0.0.1")
	m := messenger.NewHttpWithBindingAddress(
		upid.UPID{ID: *id, Host: loopback.String(), Port: "0"}, loopback)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	handler := func(from *upid.UPID, pb proto.Message) {
		msg, ok := pb.(*mesos.FrameworkToExecutorMessage)
		if !ok {
			log.Errorf("unexpected message type %T from %v", pb, from)
			return
		}
		say("RECEIVED %s", string(msg.GetData()))
		if *echo && from != nil {
			if err := m.Send(ctx, from, msg); err != nil {
				log.Errorf("echo to %v failed: %v", from, err)
			}
		}
	}
	if err := m.Install(handler, &mesos.FrameworkToExecutorMessage{}); err != nil {
		fail("install: %v", err)
	}
	if err := m.Start(); err != nil {
		fail("start: %v", err)
	}
	self := m.UPID()
	say("UPID %s", self.String())

	done := make(chan string, 3)
	go func() {
		_, _ = io.Copy(ioutil.Discard, os.Stdin)
		done <- "stdin closed"
	}()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-signals
		done <- "signal " + s.String()
	}()
	timer := time.AfterFunc(*timeout, func() { done <- "timeout" })
	defer timer.Stop()

	if peer != nil && *count > 0 {
		go func() {
			// Send queues in order; mesos-go's single send loop delivers them in
			// that order, one HTTP request at a time.
			for i := 0; i < *count; i++ {
				if err := m.Send(ctx, peer, message(i)); err != nil {
					log.Errorf("send %d to %v failed: %v", i, peer, err)
					return
				}
			}
			say("SENT %d", *count)
		}()
	}

	reason := <-done
	log.Infof("exiting: %s", reason)
	cancel()
	_ = m.Stop()
	log.Flush()
	if reason == "timeout" {
		fmt.Fprintln(os.Stderr, "messenger_peer: timed out")
		os.Exit(2)
	}
}
