//go:build cgo

package gpureg

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestAdoptTextureTracksTheNativeObjectUnderAHandle(t *testing.T) {
	r := newReg(t)
	_, _, line, _ := runtime.Caller(0)
	tex, err := r.AdoptTexture(TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm, Label: "engine's"}, 0x1234) // line + 1
	wantOK(t, "AdoptTexture", err)
	in, err := r.Info(tex.Handle())
	wantOK(t, "Info", err)
	if !in.Adopted || in.Native != 0x1234 || in.Type != TypeTexture || in.Refcount != 1 {
		t.Errorf("Info = %+v", in)
	}
	if s := siteOf(t, r, tex.Handle()); !strings.Contains(s, "adopt_test.go:"+strconv.Itoa(line+1)+" (") {
		t.Errorf("site %q, want line %d", s, line+1)
	}
	wantOK(t, "Release", r.Release(tex.Handle()))
	retireAll(t, r)
	if st := r.State(tex.Handle()); st != StateDestroyed {
		t.Errorf("State after release and fence = %v", st)
	}
}

func TestAdoptTextureAtRecordsTheGivenSite(t *testing.T) {
	r := newReg(t)
	tex, err := r.AdoptTextureAt(TextureDesc{Width: 8, Height: 8, Format: FormatRGBA8Unorm}, 77, gameSite)
	wantOK(t, "AdoptTextureAt", err)
	if s := siteOf(t, r, tex.Handle()); s != gameSiteText {
		t.Errorf("site %q", s)
	}
	wantOK(t, "Release", r.Release(tex.Handle()))
}

func TestAdoptBufferAtRecordsTheGivenSite(t *testing.T) {
	r := newReg(t)
	buf, err := r.AdoptBufferAt(BufferDesc{Size: 64}, 78, gameSite)
	wantOK(t, "AdoptBufferAt", err)
	if in, err := r.Info(buf.Handle()); err != nil || !in.Adopted || in.Native != 78 || in.Buffer.Size != 64 {
		t.Errorf("Info = %+v, %v", in, err)
	}
	if s := siteOf(t, r, buf.Handle()); s != gameSiteText {
		t.Errorf("site %q", s)
	}
	wantOK(t, "Release", r.Release(buf.Handle()))
}

func TestAdoptBufferRecordsItsCaller(t *testing.T) {
	r := newReg(t)
	_, _, line, _ := runtime.Caller(0)
	buf, err := r.AdoptBuffer(BufferDesc{Size: 64}, 79) // line + 1
	wantOK(t, "AdoptBuffer", err)
	if s := siteOf(t, r, buf.Handle()); !strings.Contains(s, "adopt_test.go:"+strconv.Itoa(line+1)+" (") {
		t.Errorf("site %q, want line %d", s, line+1)
	}
	wantOK(t, "Release", r.Release(buf.Handle()))
}

func TestAdoptOfNativeZeroIsRejected(t *testing.T) {
	r := newReg(t)
	_, err := r.AdoptTexture(TextureDesc{Width: 1, Height: 1, Format: FormatR8Unorm}, 0)
	wantIs(t, "AdoptTexture(0)", err, ErrInvalidArgument)
	_, err = r.AdoptBufferAt(BufferDesc{Size: 1}, 0, gameSite)
	wantIs(t, "AdoptBufferAt(0)", err, ErrInvalidArgument)
}

func TestAdoptGLOnNullIsUnsupported(t *testing.T) {
	r := newReg(t)
	_, err := r.AdoptGLTexture(TextureDesc{Width: 1, Height: 1, Format: FormatR8Unorm}, 5, GLAdoptKeep)
	wantIs(t, "AdoptGLTexture on null", err, ErrUnsupported)
	_, err = r.AdoptGLBufferAt(BufferDesc{Size: 1}, 5, GLAdoptKeep, gameSite)
	wantIs(t, "AdoptGLBufferAt on null", err, ErrUnsupported)
}
