//go:build cgo

package gpureg

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"testing"
)

// Every C function this package calls is marked `#cgo nocallback` and `#cgo noescape` in the
// preamble of the file that calls it: none of them calls back into Go (report text and GL
// loading go through C writers/loaders) and none keeps a pointer it is given. C.malloc is
// cgo's own wrapper and cannot be annotated; it is the only exception.
func TestEveryCCallIsAnnotated(t *testing.T) {
	fset, files := packageFiles(t, parser.ParseComments)
	directive := regexp.MustCompile(`#cgo (nocallback|noescape) (\w+)`)
	checked := 0
	for _, f := range files {
		marked := map[string]map[string]bool{"nocallback": {}, "noescape": {}}
		for _, decl := range f.Decls { // the preamble is the doc comment of `import "C"`
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.IMPORT || gd.Doc == nil {
				continue
			}
			for _, spec := range gd.Specs {
				if spec.(*ast.ImportSpec).Path.Value == `"C"` {
					for _, m := range directive.FindAllStringSubmatch(gd.Doc.Text(), -1) {
						marked[m[1]][m[2]] = true
					}
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !isIdent(sel.X, "C") || cPseudo[sel.Sel.Name] || isCScalarConv(call.Fun) ||
				sel.Sel.Name == "malloc" {
				return true
			}
			checked++
			for _, kind := range []string{"nocallback", "noescape"} {
				if !marked[kind][sel.Sel.Name] {
					t.Errorf("%s: C.%s is not marked #cgo %s", fset.Position(call.Pos()), sel.Sel.Name, kind)
				}
			}
			return true
		})
	}
	if checked < 25 {
		t.Errorf("only %d C calls checked", checked)
	}
}
