// Netpoller: a loopback TCP echo server and 4 clients doing 50 round trips each.
package main

import (
	"io"
	"net"
	"os"
	"runtime/trace"
	"sync"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go io.Copy(c, c)
		}
	}()
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
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				panic(err)
			}
			defer c.Close()
			buf := make([]byte, 64)
			for j := 0; j < 50; j++ {
				c.Write(buf)
				io.ReadFull(c, buf)
			}
		}()
	}
	wg.Wait()
	ln.Close()
}
