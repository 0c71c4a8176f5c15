// Syscalls: goroutines blocked in read(2) on pipes (so their Ps are handed off or stolen),
// file writes with fsync, and CPU load beside them.
package main

import (
	"os"
	"runtime/trace"
	"sync"
	"syscall"
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
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		var fds [2]int
		if err := syscall.Pipe(fds[:]); err != nil {
			panic(err)
		}
		wg.Add(2)
		go func() { // raw read(2): blocks in the kernel, not in the netpoller
			defer wg.Done()
			buf := make([]byte, 1)
			for j := 0; j < 5; j++ {
				syscall.Read(fds[0], buf)
			}
		}()
		go func() {
			defer wg.Done()
			x := 0
			for j := 0; j < 5; j++ {
				for k := 0; k < 3_000_000; k++ {
					x += k
				}
				syscall.Write(fds[1], []byte{byte(x)})
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tmp, err := os.CreateTemp("", "gocheck-syscalls")
		if err != nil {
			panic(err)
		}
		defer os.Remove(tmp.Name())
		for j := 0; j < 20; j++ {
			tmp.Write(make([]byte, 4096))
			tmp.Sync()
		}
		tmp.Close()
	}()
	wg.Wait()
}
