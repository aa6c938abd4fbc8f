// Command amalgamate writes the C sources the Go package compiles (zgpureg_*.c and
// include/gpureg/*.h in go/) from the C library in the repository. Run it in go/ (go generate
// does); -check writes nothing and exits 1, naming each stale file, when they are out of date.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gpureg/gpureg/go/internal/amalgam"
)

func main() {
	root := flag.String("root", "..", "the repository root (src/, include/)")
	pkg := flag.String("pkg", "", "the Go package directory the files go to (default: <root>/go)")
	check := flag.Bool("check", false, "write nothing; exit 1 naming the generated files that are stale")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: %s [-check] [-root dir] [-pkg dir]\n", filepath.Base(os.Args[0]))
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	dir := *pkg
	if dir == "" {
		dir = filepath.Join(*root, "go")
	}
	show := func(name string) string { // as a path from the working directory
		p := filepath.Join(dir, filepath.FromSlash(name))
		if wd, err := os.Getwd(); err == nil {
			if abs, err := filepath.Abs(p); err == nil {
				if rel, err := filepath.Rel(wd, abs); err == nil {
					p = rel
				}
			}
		}
		return filepath.ToSlash(p)
	}
	if *check {
		stale, err := amalgam.Stale(*root, dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "amalgamate:", err)
			os.Exit(2)
		}
		if len(stale) > 0 {
			for _, name := range stale {
				fmt.Fprintf(os.Stderr, "amalgamate: stale: %s\n", show(name))
			}
			fmt.Fprintf(os.Stderr, "amalgamate: %d generated file(s) out of date: run go generate in go/ (%s)\n",
				len(stale), amalgam.Command)
			os.Exit(1)
		}
		return
	}
	changed, err := amalgam.Write(*root, dir)
	for _, name := range changed {
		fmt.Printf("amalgamate: wrote %s\n", show(name))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "amalgamate:", err)
		os.Exit(2)
	}
}
