package amalgam

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeRepo writes a small repository with the layout the generator reads.
func fakeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func baseRepo() map[string]string {
	return map[string]string{
		"include/gpureg/gpureg.h":        "#include \"gpureg/gpureg_export.h\"\nint gpureg_x(void);\n",
		"include/gpureg/gpureg_export.h": "#define GPUREG_API\n",
		"include/gpureg/gpureg_gl.h":     "#include \"gpureg/gpureg.h\"\n",
		"include/gpureg/gpureg_vk.h":     "#include <vulkan/vulkan.h>\n#include \"gpureg/gpureg.h\"\n",
		"src/core/registry.h":            "#ifndef R_H\n#define R_H\n#include \"pool.h\"\n#include \"gpureg/gpureg.h\"\n#endif\n",
		"src/core/pool.h":                "#pragma once\n#include <stdint.h>\nint pool;\n",
		"src/core/b.c":                   "#include \"registry.h\"\nint b;\n",
		"src/core/a.c":                   "#define _DEFAULT_SOURCE /* mmap */\n#include <sys/mman.h>\n#include \"registry.h\"\nint a;\n",
		"src/null/null.c":                "#include \"core/registry.h\"\nint n;\n",
		"src/gl/gl.c":                    "#include \"gl.h\"\nint g;\n",
		"src/gl/gl.h":                    "#include \"core/registry.h\"\n#include \"gpureg/gpureg_gl.h\"\n",
		"src/vk/vk.c":                    "#include \"gpureg/gpureg_vk.h\"\nint v;\n",
	}
}

func generated(t *testing.T, root string) map[string]string {
	t.Helper()
	files, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, f := range files {
		m[f.Name] = string(f.Data)
	}
	return m
}

func TestGenerate(t *testing.T) {
	repo := baseRepo()
	root := fakeRepo(t, repo)
	out := generated(t, root)
	var names []string
	for n := range out {
		names = append(names, n)
	}
	want := []string{"include/gpureg/gpureg.h", "include/gpureg/gpureg_export.h", "include/gpureg/gpureg_gl.h",
		"include/gpureg/gpureg_vk.h", "zgpureg_core.c", "zgpureg_gl.c", "zgpureg_vk.c"}
	if len(names) != len(want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	for _, h := range want[:4] {
		if out[h] != repo[h] {
			t.Errorf("%s is not a byte-identical copy", h)
		}
	}
	core := out["zgpureg_core.c"]
	for _, s := range []string{
		"//go:build !gpureg_pkgconfig\n\n",
		"/* ---- src/core/a.c ---- */\n#line 1 \"src/core/a.c\"\n",
		"/* ---- src/core/registry.h ---- */\n#line 1 \"src/core/registry.h\"\n",
		"/* ---- src/core/pool.h ---- */\n#line 1 \"src/core/pool.h\"\n",
		"#line 4 \"src/core/registry.h\"\n#include \"gpureg/gpureg.h\"\n",     // back after pool.h
		"#line 4 \"src/core/a.c\"\nint a;\n",                                  // back after registry.h
		"/* #include \"registry.h\": src/core/registry.h is inlined above */", // once per unit
		"/* #include \"core/registry.h\": src/core/registry.h is inlined above */",
		"#ifndef _DEFAULT_SOURCE\n#define _DEFAULT_SOURCE /* src/core/a.c:1 */\n#endif\n",
		"/* #define _DEFAULT_SOURCE: hoisted to the top of the unit */\n#include <sys/mman.h>\n",
		"/* #pragma once: inlined once per unit */\n",
	} {
		if !strings.Contains(core, s) {
			t.Errorf("zgpureg_core.c lacks %q:\n%s", s, core)
		}
	}
	// Sorted: a.c, b.c, then the null layer; the feature macro comes before any include.
	ia, ib, in := strings.Index(core, "---- src/core/a.c"), strings.Index(core, "---- src/core/b.c"), strings.Index(core, "---- src/null/null.c")
	if !(ia < ib && ib < in) || strings.Index(core, "#define _DEFAULT_SOURCE") > strings.Index(core, "#include") {
		t.Errorf("order wrong:\n%s", core)
	}
	if strings.Count(core, "int pool;") != 1 {
		t.Errorf("pool.h inlined %d times", strings.Count(core, "int pool;"))
	}
	for _, in := range []string{"include/gpureg/gpureg.h", "include/gpureg/gpureg_export.h", "src/core/a.c",
		"src/core/b.c", "src/core/pool.h", "src/core/registry.h", "src/null/null.c"} {
		if !strings.Contains(core, "  "+in+"\n") {
			t.Errorf("zgpureg_core.c does not list input %s", in)
		}
	}
	if strings.Contains(core, "gpureg_gl.h\n") {
		t.Errorf("zgpureg_core.c lists a header it does not use")
	}
	if !strings.Contains(out["zgpureg_gl.c"], "  include/gpureg/gpureg_gl.h\n") {
		t.Errorf("zgpureg_gl.c does not list gpureg_gl.h")
	}
	// Go reads a constraint only from the line comments at the top, so nothing but the
	// clang-format marker (itself a line comment) may come before it.
	if !strings.HasPrefix(out["zgpureg_vk.c"], "// clang-format off\n//go:build gpureg_vulkan && !gpureg_pkgconfig\n\n") {
		t.Errorf("zgpureg_vk.c has no Vulkan build constraint")
	}

	// An edit to a public header changes the hash in every unit that includes it.
	repo["include/gpureg/gpureg_export.h"] += "/* edit */\n"
	out2 := generated(t, fakeRepo(t, repo))
	for _, u := range []string{"zgpureg_core.c", "zgpureg_gl.c", "zgpureg_vk.c"} {
		if out2[u] == out[u] {
			t.Errorf("%s did not change with gpureg_export.h", u)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	repo := baseRepo()
	repo["src/gl/gl.c"] = "int x;\n#include \"missing.h\"\n"
	if _, err := Generate(fakeRepo(t, repo)); err == nil || !strings.Contains(err.Error(), "src/gl/gl.c:2") {
		t.Errorf("missing include: %v", err)
	}
	// A local include or a feature-test macro under an #if cannot be inlined once / hoisted.
	for name, text := range map[string]string{
		"src/gl/gl.c":  "#ifdef X\n#include \"gl.h\"\n#endif\n",
		"src/gl/gl.h":  "#ifndef G_H\n#define G_H\n#if Y\n#include \"core/registry.h\"\n#endif\n#endif\n",
		"src/vk/vk.c":  "#if defined(__linux__)\n#define _GNU_SOURCE\n#endif\n",
		"src/core/b.c": "#include <stdio.h>\n#if 1\n#else\n#include \"registry.h\"\n#endif\n",
	} {
		repo = baseRepo()
		repo[name] = text
		if _, err := Generate(fakeRepo(t, repo)); err == nil || !strings.Contains(err.Error(), "under an #if") {
			t.Errorf("%s: conditional include or feature macro: %v", name, err)
		}
	}
	// Conditional system includes are fine, as are local includes inside an include guard.
	repo = baseRepo()
	repo["src/gl/gl.c"] = "#include \"gl.h\"\n#ifdef _WIN32\n#include <windows.h>\n#else\n#include <dlfcn.h>\n#endif\n"
	if _, err := Generate(fakeRepo(t, repo)); err != nil {
		t.Errorf("conditional system include: %v", err)
	}

	// Headers that include each other are inlined once each, as their guards would have it.
	repo = baseRepo()
	repo["src/core/pool.h"] = "#include \"registry.h\"\nint pool;\n"
	out := generated(t, fakeRepo(t, repo))["zgpureg_core.c"]
	if strings.Count(out, "int pool;") != 1 || strings.Count(out, "#define R_H") != 1 {
		t.Errorf("cyclic includes not inlined once each:\n%s", out)
	}
}

func TestStaleAndWrite(t *testing.T) {
	root := fakeRepo(t, baseRepo())
	pkg := filepath.Join(root, "go")
	stale, err := Stale(root, pkg)
	if err != nil || len(stale) != 7 {
		t.Fatalf("empty package: stale %v, %v", stale, err)
	}
	if _, err := Write(root, pkg); err != nil {
		t.Fatal(err)
	}
	if stale, err := Stale(root, pkg); err != nil || len(stale) != 0 {
		t.Fatalf("after Write: stale %v, %v", stale, err)
	}
	// A changed source and a managed file nobody generates any more are both stale.
	if err := os.WriteFile(filepath.Join(root, "src/vk/vk.c"), []byte("int v2;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "include/gpureg/old.h"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	stale, err = Stale(root, pkg)
	if want := []string{"include/gpureg/old.h", "zgpureg_vk.c"}; err != nil || !reflect.DeepEqual(stale, want) {
		t.Fatalf("stale %v (%v), want %v", stale, err, want)
	}
	changed, err := Write(root, pkg)
	if want := []string{"zgpureg_vk.c", "include/gpureg/old.h"}; err != nil || !reflect.DeepEqual(changed, want) {
		t.Fatalf("Write changed %v (%v), want %v", changed, err, want)
	}
}
