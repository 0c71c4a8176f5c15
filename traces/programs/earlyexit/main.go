// Early exit: goroutines spin, block and sleep; main returns without waiting for them.
package main

import (
	"os"
	"runtime/trace"
	"time"
)

func main() {
	block := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { <-block }() // blocked before tracing starts
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	for i := 0; i < 2; i++ {
		go func() {
			for x := 0; ; x++ { // spins until the program exits
			}
		}()
		go func() { time.Sleep(time.Hour) }()
	}
	time.Sleep(20 * time.Millisecond)
	trace.Stop()
}
