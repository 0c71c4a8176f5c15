// Rendezvous: two senders and two receivers meet on one unbuffered channel, so senders
// and receivers take turns waiting; main waits for all four on a WaitGroup.
// The spec it conforms to is rendezvous.gos beside it (`gocheck trace --spec`).
package main

import (
	"os"
	"runtime/trace"
	"sync"
)

const rounds = 300

var (
	ch = make(chan int)
	wg sync.WaitGroup
)

func spin(n int) (x uint64) {
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

func sender() {
	for i := 0; i < rounds; i++ {
		ch <- int(spin(i * 50))
	}
	wg.Done()
}

func receiver() {
	for i := 0; i < rounds; i++ {
		spin(<-ch % 5000)
	}
	wg.Done()
}

func main() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	defer trace.Stop()
	wg.Add(4)
	go sender()
	go sender()
	go receiver()
	go receiver()
	wg.Wait()
}
