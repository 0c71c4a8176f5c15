// Channels: an unbuffered ping-pong and a 3-stage pipeline, inside a user task and regions.
package main

import (
	"context"
	"os"
	"runtime/trace"
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
	ctx, task := trace.NewTask(context.Background(), "channels")
	defer task.End()

	trace.Log(ctx, "phase", "ping-pong")
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	for i := 0; i < 500; i++ {
		ping <- i
		<-pong
	}
	close(ping)

	trace.WithRegion(ctx, "pipeline", func() {
		src, mid := make(chan int, 16), make(chan int)
		done := make(chan int)
		go func() {
			for i := 0; i < 1000; i++ {
				src <- i
			}
			close(src)
		}()
		go func() {
			for v := range src {
				mid <- v * 2
			}
			close(mid)
		}()
		go func() {
			sum := 0
			for v := range mid {
				sum += v
			}
			done <- sum
		}()
		<-done
	})
}
