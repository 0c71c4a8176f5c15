// Many goroutines: rounds of thousands of short-lived goroutines that use a channel, a
// mutex and a timer. Arguments: trace file, rounds (default 12), goroutines per round
// (default 5000). The defaults give about half a million events (the benchmark's trace).
package main

import (
	"os"
	"runtime"
	"runtime/trace"
	"strconv"
	"sync"
	"time"
)

func arg(i, def int) int {
	if len(os.Args) > i {
		if n, err := strconv.Atoi(os.Args[i]); err == nil {
			return n
		}
	}
	return def
}

func main() {
	rounds, per := arg(2, 12), arg(3, 5000)
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	defer trace.Stop()
	var mu sync.Mutex
	total := 0
	for r := 0; r < rounds; r++ {
		var wg sync.WaitGroup
		ch := make(chan int, 64)
		for i := 0; i < per; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ch <- i
				v := <-ch
				mu.Lock()
				total += v
				mu.Unlock()
				if i%100 == 0 {
					time.Sleep(10 * time.Microsecond)
				}
			}()
		}
		wg.Wait()
		if r%6 == 5 {
			runtime.GC()
		}
	}
}
