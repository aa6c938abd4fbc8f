// Package amalgam generates the C sources the Go package compiles through cgo from the C
// library in the repository: one translation unit per layer (zgpureg_core.c, zgpureg_gl.c,
// zgpureg_vk.c) and byte-identical copies of the public headers under include/gpureg/, so a
// module zip (which holds go/ only) carries everything `go build` needs.
//
// The C sources stay the one source of truth: the generated files are written by
// go/internal/amalgam/cmd/amalgamate (go generate in go/), and a test in package gpureg fails
// when they are stale.
//
// Each layer's files are found by globbing its folder (src/core/*.c, ... sorted by name), never
// from a list. Local includes ("...") of src/ headers are inlined once per translation unit, each
// preceded by a banner and a #line directive so compiler errors and debug info name the real
// file; system includes (<...>) and public headers ("gpureg/...") stay includes. Go's build cache
// hashes only files in the package directory, so every generated .c starts with the SHA-256 of
// each input it depends on, the public headers included: an edit to any of them changes a
// hashed file.
package amalgam

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// File is one generated file: Name is slash-separated and relative to the Go package directory
// (go/ of the repository), Data its exact content.
type File struct {
	Name string
	Data []byte
}

// unit is one generated translation unit: the layers (folders under src/) it compiles and the
// build constraint it carries.
type unit struct {
	name       string
	constraint string
	layers     []string
	what       string
}

var units = []unit{
	{"zgpureg_core.c", "!gpureg_pkgconfig", []string{"core", "null"}, "the core and the null backend"},
	{"zgpureg_gl.c", "!gpureg_pkgconfig", []string{"gl"}, "the GL backend"},
	{"zgpureg_vk.c", "gpureg_vulkan && !gpureg_pkgconfig", []string{"vk"}, "the Vulkan backend (-tags gpureg_vulkan)"},
}

// Command is how the generated files say they were made.
const Command = "go run ./internal/amalgam/cmd/amalgamate"

// Managed reports whether name (relative to the package directory, slash-separated) is a file
// the generator owns: a generated file that is not generated any more is stale too.
func Managed(name string) bool {
	if ok, _ := path.Match("zgpureg_*.c", name); ok {
		return true
	}
	ok, _ := path.Match("include/gpureg/*.h", name)
	return ok
}

// Generate reads the C library under root (the repository root: src/, include/) and returns
// the generated files, sorted by name.
func Generate(root string) ([]File, error) {
	g := &generator{root: root, cache: map[string][]byte{}}
	var out []File
	headers, err := filepath.Glob(filepath.Join(root, "include", "gpureg", "*.h"))
	if err != nil {
		return nil, err
	}
	if len(headers) == 0 {
		return nil, fmt.Errorf("amalgam: no public headers in %s", filepath.Join(root, "include", "gpureg"))
	}
	sort.Strings(headers)
	for _, h := range headers {
		rel := "include/gpureg/" + filepath.Base(h)
		data, err := g.read(rel)
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: rel, Data: data})
	}
	for _, u := range units {
		data, err := g.unit(u)
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: u.name, Data: data})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Stale compares Generate(root) with the files in pkgDir and names, sorted, each generated file
// that is missing or differs and each managed file on disk that is no longer generated.
func Stale(root, pkgDir string) ([]string, error) {
	files, err := Generate(root)
	if err != nil {
		return nil, err
	}
	var stale []string
	want := map[string]bool{}
	for _, f := range files {
		want[f.Name] = true
		have, err := os.ReadFile(filepath.Join(pkgDir, filepath.FromSlash(f.Name)))
		if err != nil || !bytes.Equal(have, f.Data) {
			stale = append(stale, f.Name)
		}
	}
	extra, err := onDisk(pkgDir)
	if err != nil {
		return nil, err
	}
	for _, name := range extra {
		if !want[name] {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	return stale, nil
}

// Write writes Generate(root) into pkgDir (files whose content is unchanged are left alone, so
// their modification times stay) and removes managed files that are no longer generated. It
// returns the names of the files it wrote or removed.
func Write(root, pkgDir string) ([]string, error) {
	files, err := Generate(root)
	if err != nil {
		return nil, err
	}
	var changed []string
	want := map[string]bool{}
	for _, f := range files {
		want[f.Name] = true
		p := filepath.Join(pkgDir, filepath.FromSlash(f.Name))
		if have, err := os.ReadFile(p); err == nil && bytes.Equal(have, f.Data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return changed, err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return changed, err
		}
		changed = append(changed, f.Name)
	}
	extra, err := onDisk(pkgDir)
	if err != nil {
		return changed, err
	}
	for _, name := range extra {
		if !want[name] {
			if err := os.Remove(filepath.Join(pkgDir, filepath.FromSlash(name))); err != nil {
				return changed, err
			}
			changed = append(changed, name)
		}
	}
	return changed, nil
}

// onDisk lists the managed files present in pkgDir.
func onDisk(pkgDir string) ([]string, error) {
	var names []string
	for _, pattern := range []string{"zgpureg_*.c", "include/gpureg/*.h"} {
		m, err := filepath.Glob(filepath.Join(pkgDir, filepath.FromSlash(pattern)))
		if err != nil {
			return nil, err
		}
		for _, p := range m {
			rel, err := filepath.Rel(pkgDir, p)
			if err != nil {
				return nil, err
			}
			names = append(names, filepath.ToSlash(rel))
		}
	}
	return names, nil
}

type generator struct {
	root  string
	cache map[string][]byte // repository-relative slash path -> content
}

func (g *generator) read(rel string) ([]byte, error) {
	if data, ok := g.cache[rel]; ok {
		return data, nil
	}
	data, err := os.ReadFile(filepath.Join(g.root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("amalgam: %w", err)
	}
	g.cache[rel] = data
	return data, nil
}

func (g *generator) exists(rel string) bool {
	if _, ok := g.cache[rel]; ok {
		return true
	}
	st, err := os.Stat(filepath.Join(g.root, filepath.FromSlash(rel)))
	return err == nil && st.Mode().IsRegular()
}

var (
	includeRe = regexp.MustCompile(`^\s*#\s*include\s*"([^"]+)"`)
	onceRe    = regexp.MustCompile(`^\s*#\s*pragma\s+once\b`)
	// A feature-test macro (_DEFAULT_SOURCE, _GNU_SOURCE, _POSIX_C_SOURCE, _XOPEN_SOURCE, ...)
	// only works before the first system include of a translation unit.
	condRe    = regexp.MustCompile(`^\s*#\s*if(n?def)?\b`)
	endifRe   = regexp.MustCompile(`^\s*#\s*endif\b`)
	ifndefRe  = regexp.MustCompile(`^\s*#\s*ifndef\s+(\w+)`)
	defineRe  = regexp.MustCompile(`^\s*#\s*define\s+(\w+)`)
	featureRe = regexp.MustCompile(`^\s*#\s*define\s+(_[A-Z0-9_]*_SOURCE(_EXTENDED)?)\b`)
)

// tu is the state of one translation unit being generated.
type tu struct {
	g       *generator
	body    bytes.Buffer
	inlined map[string]bool // src/ files already in the unit
	inputs  map[string]bool // every file the unit depends on, public headers included
	feature []string        // feature-test macro definitions, hoisted to the top of the unit
}

func (t *tu) hasFeature(name string) bool {
	for _, d := range t.feature {
		if strings.HasPrefix(d, "#ifndef "+name+"\n") {
			return true
		}
	}
	return false
}

func (g *generator) unit(u unit) ([]byte, error) {
	t := &tu{g: g, inlined: map[string]bool{}, inputs: map[string]bool{}}
	var sources []string
	for _, layer := range u.layers {
		m, err := filepath.Glob(filepath.Join(g.root, "src", layer, "*.c"))
		if err != nil {
			return nil, err
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("amalgam: no C sources in %s", filepath.Join(g.root, "src", layer))
		}
		names := make([]string, len(m))
		for i, p := range m {
			names[i] = "src/" + layer + "/" + filepath.Base(p)
		}
		sort.Strings(names)
		sources = append(sources, names...)
	}
	for _, src := range sources {
		if err := t.inline(src); err != nil {
			return nil, err
		}
	}

	var head bytes.Buffer
	// First, as the build constraint may follow line comments: the sources the unit is made of
	// are formatted, and their concatenation is not the formatter's to reflow (it would also
	// want "// go:build", which Go would not read).
	head.WriteString("// clang-format off\n")
	fmt.Fprintf(&head, "//go:build %s\n\n", u.constraint)
	fmt.Fprintf(&head, "// Code generated by %q in go/; DO NOT EDIT.\n\n", Command)

	fmt.Fprintf(&head, "/* %s: %s of the gpureg C library in one translation unit,\n", u.name, u.what)
	var dirs []string
	for _, layer := range u.layers {
		dirs = append(dirs, "src/"+layer+"/")
	}
	fmt.Fprintf(&head, " * from every .c file of %s (sorted by name), with the src/ headers they include\n"+
		" * inlined once each.\n", strings.Join(dirs, " and "))
	head.WriteString(" * Edit those files, never this one, and regenerate (go generate in go/).\n")
	head.WriteString(" *\n * Inputs (SHA-256):\n")
	names := make([]string, 0, len(t.inputs))
	for name := range t.inputs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := g.read(name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&head, " *   %s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	head.WriteString(" */\n")
	if len(t.feature) > 0 {
		// The first system include of the unit fixes what the C library declares; a source file
		// that defines a feature-test macro before its includes expects it to hold there.
		head.WriteString("\n/* Feature-test macros of the inputs, above every include of the unit. */\n")
		for _, d := range t.feature {
			head.WriteString(d)
		}
	}
	head.Write(t.body.Bytes())
	return head.Bytes(), nil
}

// inline appends the file rel (a repository-relative path under src/) to the unit, replacing
// its local includes of src/ files by their text (once per unit) and keeping the others.
// A file is marked inlined before its text is read, so headers that include each other end up
// once each, as include guards would have it.
func (t *tu) inline(rel string) error {
	data, err := t.g.read(rel)
	if err != nil {
		return err
	}
	t.inlined[rel] = true
	t.inputs[rel] = true
	fmt.Fprintf(&t.body, "\n/* ---- %s ---- */\n#line 1 \"%s\"\n", rel, rel)
	text := string(data)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	base := guardDepth(lines)
	depth := 0 // #if nesting; base inside the file's include guard
	for i, line := range lines {
		switch {
		case condRe.MatchString(line):
			depth++
		case endifRe.MatchString(line):
			depth--
		}
		if onceRe.MatchString(line) {
			// Inlined once anyway; in the unit's main file the pragma would only warn.
			t.body.WriteString("/* #pragma once: inlined once per unit */\n")
			continue
		}
		if f := featureRe.FindStringSubmatch(line); f != nil {
			if depth > base {
				return fmt.Errorf("amalgam: %s:%d: %s is defined under an #if: the amalgamation hoists "+
					"feature-test macros to the top of the unit, unconditionally; define it unconditionally", rel, i+1, f[1])
			}
			// Hoisted; here it would come after the unit's first system include, too late,
			// and after features.h redefined it.
			if !t.hasFeature(f[1]) {
				t.feature = append(t.feature, fmt.Sprintf("#ifndef %s\n%s /* %s:%d */\n#endif\n",
					f[1], strings.TrimSpace(stripComment(line)), rel, i+1))
			}
			fmt.Fprintf(&t.body, "/* #define %s: hoisted to the top of the unit */\n", f[1])
			continue
		}
		m := includeRe.FindStringSubmatch(line)
		if m == nil {
			t.body.WriteString(line)
			continue
		}
		target, public, err := t.resolve(rel, m[1])
		if err != nil {
			return fmt.Errorf("amalgam: %s:%d: %w", rel, i+1, err)
		}
		if !public && depth > base {
			// Inlined once per unit, a header first included under a false #if would be
			// missing where a later include needs it.
			return fmt.Errorf("amalgam: %s:%d: #include \"%s\" is under an #if: the amalgamation inlines each "+
				"src/ header once, so local includes must be unconditional (put the #if inside the header)", rel, i+1, m[1])
		}
		if public {
			if err := t.addPublic(target); err != nil {
				return err
			}
			t.body.WriteString(line)
			continue
		}
		if t.inlined[target] {
			fmt.Fprintf(&t.body, "/* #include \"%s\": %s is inlined above */\n", m[1], target)
			continue
		}
		if err := t.inline(target); err != nil {
			return err
		}
		fmt.Fprintf(&t.body, "/* ---- end of %s, back in %s ---- */\n#line %d \"%s\"\n", target, rel, i+2, rel)
	}
	return nil
}

// resolve finds a quoted include the way the CMake build does: the including file's folder,
// then src/, then include/ (a public header, which stays an include). It returns the
// repository-relative path and whether it is a public header.
func (t *tu) resolve(from, name string) (string, bool, error) {
	if path.IsAbs(name) || strings.Contains(name, `\`) {
		return "", false, fmt.Errorf("include %q: not a relative path", name)
	}
	for _, dir := range []string{path.Dir(from), "src"} {
		p := path.Clean(path.Join(dir, name))
		if strings.HasPrefix(p, "src/") && t.g.exists(p) {
			return p, false, nil
		}
	}
	p := path.Clean(path.Join("include", name))
	if strings.HasPrefix(p, "include/gpureg/") && t.g.exists(p) {
		return p, true, nil
	}
	return "", false, fmt.Errorf("include %q: no such file in %s, src/ or include/", name, path.Dir(from))
}

// addPublic records a public header and, transitively, the public headers it includes.
func (t *tu) addPublic(rel string) error {
	if t.inputs[rel] {
		return nil
	}
	t.inputs[rel] = true
	data, err := t.g.read(rel)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		m := includeRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, dir := range []string{path.Dir(rel), "include"} {
			p := path.Clean(path.Join(dir, m[1]))
			if strings.HasPrefix(p, "include/") && t.g.exists(p) {
				if err := t.addPublic(p); err != nil {
					return err
				}
				break
			}
		}
	}
	return nil
}

// stripComment drops a trailing /* ... */ or // comment from a one-line #define.
func stripComment(line string) string {
	if i := strings.Index(line, "/*"); i >= 0 {
		line = line[:i]
	}
	if i := strings.Index(line, "//"); i >= 0 {
		line = line[:i]
	}
	return line
}

// guardDepth is 1 when the file's first two directives are an include guard (#ifndef X,
// #define X), else 0: the #if depth at which its unconditional lines are.
func guardDepth(lines []string) int {
	var directives []string
	for _, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			directives = append(directives, line)
			if len(directives) == 2 {
				break
			}
		}
	}
	if len(directives) < 2 {
		return 0
	}
	n, d := ifndefRe.FindStringSubmatch(directives[0]), defineRe.FindStringSubmatch(directives[1])
	if n != nil && d != nil && n[1] == d[1] {
		return 1
	}
	return 0
}
