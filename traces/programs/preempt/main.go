// Preemption: 3 tight loops (preempted asynchronously by sysmon) and 2 goroutines that
// call runtime.Gosched; run it with GOMAXPROCS=1 and 2.
package main

import (
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

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
	deadline := time.Now().Add(60 * time.Millisecond)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for x := 0; ; x++ {
				if x%(1<<20) == 0 && time.Now().After(deadline) {
					return
				}
			}
		}()
	}
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				runtime.Gosched()
			}
		}()
	}
	wg.Wait()
}
