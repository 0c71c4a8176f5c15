// Mutex: 8 goroutines share one sync.Mutex, 20,000 short critical sections each (waiters
// spin first; those that give up block and show as GoBlock "sync").
package main

import (
	"os"
	"runtime/trace"
	"sync"
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
	var mu sync.Mutex
	var wg sync.WaitGroup
	counter := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20000; j++ {
				mu.Lock()
				for k := 0; k < 50; k++ {
					counter = counter*31 + k
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}
