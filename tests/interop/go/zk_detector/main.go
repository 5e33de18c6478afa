// zk_detector: mesos-go 0.0.6's ZooKeeper master detector, pointed at a zk://
// URL. Prints the pid of every leading master it detects ("none" when there is
// none), one per line, and exits after the first leader or after 60 s.
//
// Usage: zk_detector zk://127.0.0.1:2181/mesos
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/mesos/mesos-go/api/v0/detector"
	"github.com/mesos/mesos-go/api/v0/detector/zoo"
	mesos "github.com/mesos/mesos-go/api/v0/mesosproto"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: zk_detector zk://host:port/path")
		os.Exit(2)
	}
	md, err := zoo.NewMasterDetector(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "detector:", err)
		os.Exit(1)
	}
	leaders := make(chan string, 16)
	err = md.Detect(detector.OnMasterChanged(func(info *mesos.MasterInfo) {
		if info == nil || info.Pid == nil {
			leaders <- "none"
			return
		}
		leaders <- info.GetPid() + " " + info.GetId()
	}))
	if err != nil {
		fmt.Fprintln(os.Stderr, "detect:", err)
		os.Exit(1)
	}
	deadline := time.After(60 * time.Second)
	for {
		select {
		case leader := <-leaders:
			fmt.Println(leader)
			if leader != "none" {
				md.Cancel()
				return
			}
		case <-deadline:
			fmt.Fprintln(os.Stderr, "no leader detected within 60 s")
			os.Exit(3)
		}
	}
}
