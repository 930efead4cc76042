// A Helm 4 `cli/v1` Wasm plugin written with the Go standard library only
// (Go 1.23, GOOS=wasip1 GOARCH=wasm), no PDK: the Extism kernel functions
// are imported with //go:wasmimport, as extism/go-pdk does.
//
// Go before 1.24 can build only WASI command modules (no //go:wasmexport,
// no reactor), so the plugin's entry is `_start` (plugin.yaml
// `runtimeConfig.entryFuncName: _start`): `main` runs the whole Go runtime
// init (heap, GC, scheduler, os: args, environ, clock, random, preopens)
// on every Invoke, then ends with proc_exit(0), which Extism hosts and
// Helm's go-sdk treat as success. That start-up is what this plugin is
// for: it is the cost every Go plugin pays per call.
//
// What it does: reads the input message {"extraArgs":[...]}, writes
// /tmp/args.txt and /tmp/sub/n.txt in the plugin's temp dir
// (fileSystem.createTempDir), lists /tmp with os.ReadDir (fd_readdir) and
// returns {"data":{...}} with the arguments sorted, their SHA-256 and the
// listing; one line on stdout and one on stderr.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unsafe"
)

//go:wasmimport extism:host/env input_length
func extismInputLength() uint64

//go:wasmimport extism:host/env input_load_u64
func extismInputLoadU64(offset uint64) uint64

//go:wasmimport extism:host/env input_load_u8
func extismInputLoadU8(offset uint64) uint32

//go:wasmimport extism:host/env alloc
func extismAlloc(n uint64) uint64

//go:wasmimport extism:host/env store_u64
func extismStoreU64(offset uint64, v uint64)

//go:wasmimport extism:host/env store_u8
func extismStoreU8(offset uint64, v uint32)

//go:wasmimport extism:host/env output_set
func extismOutputSet(offset uint64, n uint64)

//go:wasmimport extism:host/env error_set
func extismErrorSet(offset uint64)

// input reads the input block, eight bytes per kernel call.
func input() []byte {
	n := extismInputLength()
	buf := make([]byte, n)
	i := uint64(0)
	for ; i+8 <= n; i += 8 {
		*(*uint64)(unsafe.Pointer(&buf[i])) = extismInputLoadU64(i)
	}
	for ; i < n; i++ {
		buf[i] = byte(extismInputLoadU8(i))
	}
	return buf
}

// block copies b into a new kernel block and returns its handle.
func block(b []byte) uint64 {
	n := uint64(len(b))
	h := extismAlloc(n)
	i := uint64(0)
	for ; i+8 <= n; i += 8 {
		extismStoreU64(h+i, *(*uint64)(unsafe.Pointer(&b[i])))
	}
	for ; i < n; i++ {
		extismStoreU8(h+i, uint32(b[i]))
	}
	return h
}

// fail sets the plugin's error message and exits with code 1.
func fail(format string, a ...any) {
	extismErrorSet(block([]byte(fmt.Sprintf(format, a...))))
	os.Exit(1)
}

type message struct {
	ExtraArgs []string `json:"extraArgs"`
}

type entry struct {
	Name string `json:"name"`
	Dir  bool   `json:"dir"`
	Size int64  `json:"size"`
}

func main() {
	var in message
	if err := json.Unmarshal(input(), &in); err != nil {
		fail("go-wasip1: bad input message: %v", err)
	}
	args := append([]string(nil), in.ExtraArgs...)
	sort.Strings(args)
	sum := sha256.Sum256([]byte(strings.Join(in.ExtraArgs, "\x00")))

	// The temp dir: a file, a subdirectory, then the listing.
	if err := os.WriteFile("/tmp/args.txt", []byte(strings.Join(in.ExtraArgs, "\n")), 0o644); err != nil {
		fail("go-wasip1: %v", err)
	}
	if err := os.MkdirAll("/tmp/sub", 0o755); err != nil {
		fail("go-wasip1: %v", err)
	}
	if err := os.WriteFile(filepath.Join("/tmp/sub", "n.txt"), []byte(fmt.Sprint(len(args))), 0o644); err != nil {
		fail("go-wasip1: %v", err)
	}
	var listing []entry
	for _, d := range []string{"/tmp", "/tmp/sub"} {
		ents, err := os.ReadDir(d)
		if err != nil {
			fail("go-wasip1: %v", err)
		}
		for _, e := range ents {
			info, err := e.Info()
			if err != nil {
				fail("go-wasip1: %v", err)
			}
			size := info.Size()
			if e.IsDir() {
				size = 0 // the host's directory size differs between hosts
			}
			listing = append(listing, entry{Name: filepath.Join(d, e.Name()), Dir: e.IsDir(), Size: size})
		}
	}

	fmt.Printf("go-wasip1: %d args\n", len(args))
	fmt.Fprintln(os.Stderr, "go-wasip1: done")
	out, err := json.Marshal(map[string]any{"data": map[string]any{
		"args":   args,
		"sha256": hex.EncodeToString(sum[:]),
		"tmp":    listing,
	}})
	if err != nil {
		fail("go-wasip1: %v", err)
	}
	extismOutputSet(block(out), uint64(len(out)))
}
