//go:build cgo

package gpureg

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// The rule TestNoGoPointersCrossToC enforces, on the syntax of every non-test .go file of the
// package. For each call C.f(args...) of a C function, every argument must be one of:
//
//  1. nil or a numeric literal;
//  2. a conversion to a C scalar type, C.T(e) with T an integer/enum type (cScalar below), where
//     e mentions neither the unsafe package nor uintptr. Go only converts numbers to numbers,
//     so without unsafe/uintptr no address can be smuggled through the integer (C.uintptr_t
//     carries only the app's C objects: GLOptions.GetProcAddress and VulkanDesc's handles);
//  3. a value that is C memory by declaration: an identifier or field selector whose declared type
//     is a C type (*C.T, C.T), a local initialised from a C call, a C conversion or a package
//     function whose result type is a C type, or a field of such a value. A field name counts
//     only if every struct field of that name in the package is C-typed;
//  4. unsafe.Pointer(e) or (*C.T)(e) where e is C memory by rule 3 or a C call, and
//     unsafe.Add(e, n) of such an e (an offset into the same C allocation, as the registry's C
//     scratch memory hands out: cscratch.go keeps it within what it allocated);
//  5. another C call (its own arguments are checked the same way), a C constant (C.sizeof_T), or
//     arithmetic on arguments that pass (Go has no pointer arithmetic, so the result is a number).
//  6. (everywhere, not only in call arguments) a conversion (*C.T)(e) converts C memory only, so
//     a C-typed variable, parameter or field can never hold the address of Go memory, which is
//     what makes trusting declared C types in rule 3 sound.
//
// Anything else (&x, a slice, a string, unsafe.Pointer of a Go value, a Go-typed variable, a
// composite literal, an arbitrary function call) fails. The cgo pseudo-functions C.CString,
// C.CBytes, C.GoString, C.GoStringN and C.GoBytes are not C calls: they run in Go and copy
// between Go and C memory (C.CString allocates the C copy), so they are exempt; C.malloc is
// checked like any C function (its argument is a size).
var (
	cScalar = regexp.MustCompile(`^(u?int(8|16|32|64|ptr)_t|size_t|int|uint|char|uchar|schar|short|ushort|long|ulong|` +
		`longlong|ulonglong|float|double|gpureg_\w+)$`)
	cPseudo = map[string]bool{"CString": true, "CBytes": true, "GoString": true, "GoStringN": true, "GoBytes": true}
)

// cStructTypes are gpureg's C struct/pointer types that are not scalars despite the gpureg_ prefix.
var cNonScalar = map[string]bool{
	"gpureg_registry": true, "gpureg_message": true, "gpureg_type_stats": true, "gpureg_stats": true,
	"gpureg_object_info": true, "gpureg_texture_desc": true, "gpureg_buffer_desc": true, "gpureg_site": true,
}

func isCScalarConv(fun ast.Expr) bool {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok || !isIdent(sel.X, "C") {
		return false
	}
	return cScalar.MatchString(sel.Sel.Name) && !cNonScalar[sel.Sel.Name] && !cFunctions()[sel.Sel.Name]
}

// cFunctions are the C library's functions, from its public headers (the package's copies):
// C.gpureg_f(...) of one of them is a call, checked as any call, not a conversion to a
// gpureg_ type, which the names alone cannot tell apart.
var cFunctions = sync.OnceValue(func() map[string]bool {
	names := map[string]bool{}
	paths, _ := filepath.Glob("include/gpureg/*.h")
	decl := regexp.MustCompile(`(?m)^(?:GPUREG_API|static inline)\s[^;{(]*?\b(gpureg_\w+)\s*\(`)
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for _, m := range decl.FindAllStringSubmatch(string(src), -1) {
			names[m[1]] = true
		}
	}
	return names
})

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// isCType: C.T, *C.T, **C.T, [N]C.T.
func isCType(e ast.Expr) bool {
	switch t := e.(type) {
	case *ast.StarExpr:
		return isCType(t.X)
	case *ast.ArrayType:
		return isCType(t.Elt)
	case *ast.ParenExpr:
		return isCType(t.X)
	case *ast.SelectorExpr:
		return isIdent(t.X, "C")
	}
	return false
}

type cgoChecker struct {
	fset      *token.FileSet
	fieldC    map[string]bool // field name -> every declaration of it is C-typed
	funcC     map[string]bool // package function/method name -> its single result is C-typed
	locals    map[string]bool // identifiers of the current function that hold C memory
	problems  []string
	callCount int
}

func newCgoChecker(fset *token.FileSet, files []*ast.File) *cgoChecker {
	c := &cgoChecker{fset: fset, fieldC: map[string]bool{}, funcC: map[string]bool{}}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch d := n.(type) {
			case *ast.StructType:
				for _, fld := range d.Fields.List {
					for _, name := range fld.Names {
						prev, seen := c.fieldC[name.Name]
						c.fieldC[name.Name] = isCType(fld.Type) && (!seen || prev)
					}
				}
			case *ast.FuncDecl:
				res := d.Type.Results
				c.funcC[d.Name.Name] = res != nil && len(res.List) == 1 && len(res.List[0].Names) <= 1 &&
					isCType(res.List[0].Type)
			}
			return true
		})
	}
	return c
}

func (c *cgoChecker) checkFile(f *ast.File) {
	for _, decl := range f.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		c.locals = map[string]bool{}
		c.declareFields(fd.Recv)
		c.declareFields(fd.Type.Params)
		ast.Inspect(fd.Body, c.visit)
	}
}

func (c *cgoChecker) declareFields(fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, fld := range fl.List {
		for _, name := range fld.Names {
			c.locals[name.Name] = isCType(fld.Type)
		}
	}
}

func (c *cgoChecker) visit(n ast.Node) bool {
	switch s := n.(type) {
	case *ast.FuncLit:
		c.declareFields(s.Type.Params)
	case *ast.AssignStmt:
		for i, lhs := range s.Lhs {
			id, ok := lhs.(*ast.Ident)
			if !ok || s.Tok != token.DEFINE && s.Tok != token.ASSIGN {
				continue
			}
			cmem := len(s.Rhs) == len(s.Lhs) && c.isCMemory(s.Rhs[i])
			if s.Tok == token.DEFINE || !cmem {
				c.locals[id.Name] = cmem // re-assigning Go data makes the name Go data
			}
		}
	case *ast.ValueSpec:
		for i, name := range s.Names {
			hasValue := i < len(s.Values)
			c.locals[name.Name] = s.Type != nil && isCType(s.Type) && !hasValue ||
				hasValue && c.isCMemory(s.Values[i])
		}
	case *ast.RangeStmt:
		for _, e := range []ast.Expr{s.Key, s.Value} {
			if id, ok := e.(*ast.Ident); ok {
				c.locals[id.Name] = false // range values are Go copies
			}
		}
	case *ast.CallExpr:
		if p, ok := s.Fun.(*ast.ParenExpr); ok && isCType(p.X) {
			// Rule 6: C-typed pointers only ever come from C memory, wherever they are made.
			if len(s.Args) == 1 && !c.isCMemory(s.Args[0]) {
				c.report(s, "conversion to a C pointer type of something that is not C memory")
			}
			return true
		}
		sel, ok := s.Fun.(*ast.SelectorExpr)
		if !ok || !isIdent(sel.X, "C") || cPseudo[sel.Sel.Name] {
			return true
		}
		if isCScalarConv(s.Fun) {
			if len(s.Args) == 1 && !c.scalarOperand(s.Args[0]) {
				c.report(s, "C."+sel.Sel.Name+" converts an expression that uses unsafe or uintptr")
			}
			return true
		}
		c.callCount++
		for i, arg := range s.Args {
			if !c.argOK(arg) {
				c.report(arg, "argument "+itoa(i)+" of C."+sel.Sel.Name+" is not provably C memory or an integer")
			}
		}
	}
	return true
}

func itoa(i int) string { return string(rune('0' + i%10)) }

func (c *cgoChecker) report(n ast.Node, msg string) {
	c.problems = append(c.problems, c.fset.Position(n.Pos()).String()+": "+msg)
}

// scalarOperand: rule 2's operand mentions neither unsafe nor uintptr.
func (c *cgoChecker) scalarOperand(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		if id, isID := n.(*ast.Ident); isID && (id.Name == "unsafe" || id.Name == "uintptr") {
			ok = false
		}
		return ok
	})
	return ok
}

func (c *cgoChecker) argOK(e ast.Expr) bool {
	switch a := e.(type) {
	case *ast.BasicLit:
		return a.Kind == token.INT || a.Kind == token.FLOAT
	case *ast.Ident:
		return a.Name == "nil" || c.locals[a.Name]
	case *ast.ParenExpr:
		return c.argOK(a.X)
	case *ast.SelectorExpr:
		return isIdent(a.X, "C") || c.isCMemory(a) // C.sizeof_T and other C constants
	case *ast.BinaryExpr:
		return c.argOK(a.X) && c.argOK(a.Y) // arithmetic on sizes: Go has no pointer arithmetic
	case *ast.CallExpr:
		if isCScalarConv(a.Fun) {
			return true // the operand is checked when the conversion itself is visited
		}
		return c.isCMemory(a)
	}
	return c.isCMemory(e)
}

// isCMemory: rules 3-5.
func (c *cgoChecker) isCMemory(e ast.Expr) bool {
	switch a := e.(type) {
	case *ast.ParenExpr:
		return c.isCMemory(a.X)
	case *ast.Ident:
		return c.locals[a.Name]
	case *ast.SelectorExpr:
		// Field of a C value (a C struct returned by value), or a C-typed field of a Go struct.
		return c.isCMemory(a.X) || c.fieldC[a.Sel.Name]
	case *ast.CallExpr:
		if sel, ok := a.Fun.(*ast.SelectorExpr); ok && isIdent(sel.X, "C") {
			// A C call or C conversion gives C data, and so do the copying allocators.
			return !cPseudo[sel.Sel.Name] || sel.Sel.Name == "CString" || sel.Sel.Name == "CBytes"
		}
		if sel, ok := a.Fun.(*ast.SelectorExpr); ok && isIdent(sel.X, "unsafe") && sel.Sel.Name == "Pointer" {
			return len(a.Args) == 1 && c.isCMemory(a.Args[0])
		}
		if sel, ok := a.Fun.(*ast.SelectorExpr); ok && isIdent(sel.X, "unsafe") && sel.Sel.Name == "Add" {
			return len(a.Args) == 2 && c.isCMemory(a.Args[0])
		}
		if p, ok := a.Fun.(*ast.ParenExpr); ok && isCType(p.X) {
			return len(a.Args) == 1 && c.isCMemory(a.Args[0]) // (*C.T)(e)
		}
		if id, ok := a.Fun.(*ast.Ident); ok {
			return c.funcC[id.Name]
		}
		if sel, ok := a.Fun.(*ast.SelectorExpr); ok {
			return c.funcC[sel.Sel.Name] && !isIdent(sel.X, "unsafe")
		}
	}
	return false
}

func checkSources(t *testing.T, fset *token.FileSet, files []*ast.File) *cgoChecker {
	t.Helper()
	c := newCgoChecker(fset, files)
	for _, f := range files {
		c.checkFile(f)
	}
	return c
}

// packageFiles parses the package's own (non-test) .go files.
func packageFiles(t *testing.T, mode parser.Mode) (*token.FileSet, []*ast.File) {
	t.Helper()
	paths, err := filepath.Glob("*.go")
	wantOK(t, "glob", err)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, mode)
		wantOK(t, "parse "+p, err)
		files = append(files, f)
	}
	return fset, files
}

func TestNoGoPointersCrossToC(t *testing.T) {
	for _, f := range []string{"gpureg_query_state", "gpureg_object_depend", "gpureg_kind_name"} {
		if !cFunctions()[f] {
			t.Errorf("%s is not among the C functions read from include/gpureg: the checker would take it for a conversion", f)
		}
	}
	fset, files := packageFiles(t, 0)
	c := checkSources(t, fset, files)
	for _, p := range c.problems {
		t.Error(p)
	}
	if c.callCount < 25 {
		t.Errorf("only %d C calls found: is the checker still looking at the package?", c.callCount)
	}
	t.Logf("%d C calls in %d files checked", c.callCount, len(files))
}

// The checker must reject each way of handing C Go memory (and accept the C-memory forms).
func TestNoGoPointerCheckerRejects(t *testing.T) {
	bad := []string{
		`C.f(unsafe.Pointer(&x))`,
		`C.f(unsafe.Pointer(&goSlice[0]))`,
		`C.f((*C.char)(unsafe.Pointer(&goSlice[0])))`,
		`C.f(C.uint64_t(uintptr(unsafe.Pointer(&x))))`,
		`C.f(goVar)`,
		`C.f(&cVar)`,
		`C.f(unsafe.Pointer(unsafe.StringData(s)))`,
		`C.f(r.goField)`,
		`C.f(unsafe.Pointer(goFunc()))`,
		`C.f("literal")`,
		`C.f(C.gpureg_site{})`,
		`C.f(C.size_t(n) * C.size_t(unsafe.Sizeof(x)))`,
		`C.f(cVar + goVar)`,
		`p := (*C.char)(unsafe.Pointer(&x)); C.f(p)`,
		`var p *C.char = (*C.char)(unsafe.Pointer(&x)); C.f(p)`,
		`r.reg = (*C.gpureg_registry)(unsafe.Pointer(&goSlice[0]))`,
		`C.f(cVar); cVar = goValue(); C.f(cVar)`,
	}
	good := []string{
		`C.f(nil, 1, C.uint32_t(n), C.size_t(len(goSlice)))`,
		`C.f(cVar, r.reg, unsafe.Pointer(r.reg), C.f2(cVar))`,
		`p := (*C.char)(C.malloc(8)); C.f(p, unsafe.Pointer(p))`,
		`res := C.f2(); C.f(res.ptr, unsafe.Pointer(res.data))`,
		`s := C.CString(goString); C.f(s)`,
		`C.f(C.size_t(n) * C.sizeof_gpureg_message)`,
	}
	parse := func(stmt string) *cgoChecker {
		src := "package p\nimport \"C\"\ntype T struct{ reg *C.gpureg_registry; goField []byte }\n" +
			"func g(r *T, cVar *C.char, goVar []byte, goSlice []byte, s string, n int, x int) {\n" + stmt + "\n}\n"
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", src, 0)
		wantOK(t, "parse "+stmt, err)
		return checkSources(t, fset, []*ast.File{f})
	}
	for _, s := range bad {
		if len(parse(s).problems) == 0 {
			t.Errorf("accepted: %s", s)
		}
	}
	for _, s := range good {
		if p := parse(s).problems; len(p) != 0 {
			t.Errorf("rejected %s: %v", s, p)
		}
	}
}
