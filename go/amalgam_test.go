//go:build cgo

package gpureg

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpureg/gpureg/go/internal/amalgam"
)

// The generated C sources (zgpureg_*.c, include/gpureg/*.h) must be what the generator makes
// from the repository's src/ and include/ now: a C edit without go generate fails here.
func TestAmalgamationIsFresh(t *testing.T) {
	root := ".."
	for _, dir := range []string{"src/core", "include/gpureg"} {
		if st, err := os.Stat(filepath.Join(root, dir)); err != nil || !st.IsDir() {
			t.Skipf("no %s next to the package (a module download, not a checkout): nothing to compare with", dir)
		}
	}
	stale, err := amalgam.Stale(root, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Fatalf("generated C sources are stale: %s\nrun go generate in go/ (%s)", strings.Join(stale, ", "), amalgam.Command)
	}
}
