package main

import gpureg "github.com/gpureg/gpureg/go"

// engineSampling is how the engine samples every texture: nearest (the textures have one
// level), clamped at the edges.
var engineSampling = gpureg.SamplerState{MinFilter: gpureg.FilterNearest, MagFilter: gpureg.FilterNearest,
	MipFilter: gpureg.MipFilterNone, WrapU: gpureg.WrapClampToEdge, WrapV: gpureg.WrapClampToEdge}

// pipeline is the engine's drawing state: made at the first draw and kept for the whole game,
// so each object is marked expected at shutdown (the report lists them apart, never as leaks;
// Close destroys them).
type pipeline struct {
	vs, fs, program, vao, sampler gpureg.Object
	uSize                         int32 // the program's u_size location
}

// makePipeline makes the pipeline through gpureg, or with raw GL handed to gpureg
// (Config.AdoptGL). Both name the same site, this function, so the reports are the same.
func (r *renderer) makePipeline() bool {
	site := gpureg.Caller(0)
	p := &r.pipeline
	var err error
	if r.adoptGL {
		err = r.adoptPipeline(p, site)
	} else {
		err = r.createPipeline(p, site)
	}
	if !r.check(err) {
		return false // what was made is expected at shutdown: Close destroys it
	}
	program, _, err := r.reg.GLObject(p.program)
	if !r.check(err) {
		return false
	}
	p.uSize = glProgramSetup(program)
	return true
}

func (r *renderer) createPipeline(p *pipeline, site gpureg.Site) (err error) {
	shader := func(stage gpureg.ShaderStage, src, label string) (gpureg.Object, error) {
		return r.reg.CreateShaderAt(gpureg.ShaderDesc{Stage: stage, Code: []byte(src), Label: label,
			ExpectedAtShutdown: true}, site)
	}
	if p.vs, err = shader(gpureg.StageVertex, vertexSource, "engine vertex shader"); err != nil {
		return err
	}
	if p.fs, err = shader(gpureg.StageFragment, fragmentSource, "engine fragment shader"); err != nil {
		return err
	}
	if p.program, err = r.reg.CreateProgramAt(gpureg.ProgramDesc{Shaders: []gpureg.Object{p.vs, p.fs},
		Label: "engine program", ExpectedAtShutdown: true}, site); err != nil {
		return err
	}
	if p.vao, err = r.reg.CreateVertexArrayAt(gpureg.VertexArrayDesc{Label: "engine vertex array",
		ExpectedAtShutdown: true}, site); err != nil {
		return err
	}
	p.sampler, err = r.reg.CreateSamplerAt(gpureg.SamplerDesc{State: engineSampling, Label: "engine sampler",
		ExpectedAtShutdown: true}, site)
	return err
}

func (r *renderer) adoptPipeline(p *pipeline, site gpureg.Site) error {
	expected := func(kind gpureg.Kind, label string) gpureg.ObjectDesc {
		return gpureg.ObjectDesc{Kind: kind, Label: label, ExpectedAtShutdown: true}
	}
	shader := func(stage gpureg.ShaderStage, src, label string) (gpureg.Object, uint32, error) {
		name, err := glMakeShader(stage, src)
		if err != nil {
			return 0, 0, err
		}
		d := expected(gpureg.KindShader, label)
		d.Stage = stage
		o, err := r.adopt(d, name, site)
		return o, name, err
	}
	vs, vsName, err := shader(gpureg.StageVertex, vertexSource, "engine vertex shader")
	if err != nil {
		return err
	}
	fs, fsName, err := shader(gpureg.StageFragment, fragmentSource, "engine fragment shader")
	if err != nil {
		return err
	}
	p.vs, p.fs = vs, fs
	name, err := glMakeProgram(vsName, fsName)
	if err != nil {
		return err
	}
	if p.program, err = r.adopt(expected(gpureg.KindProgram, "engine program"), name, site); err != nil {
		return err
	}
	if p.vao, err = r.adopt(expected(gpureg.KindVertexArray, "engine vertex array"), glMakeVertexArray(),
		site); err != nil {
		return err
	}
	p.sampler, err = r.adopt(expected(gpureg.KindSampler, "engine sampler"), glMakeSampler(), site)
	return err
}

// adopt hands a GL object the engine made to gpureg, which deletes it (GLAdoptDelete) once it
// is released and its frame's fence has signalled, or at Close. On failure the name is still
// the engine's, which deletes it.
func (r *renderer) adopt(d gpureg.ObjectDesc, name uint32, site gpureg.Site) (gpureg.Object, error) {
	o, err := r.reg.AdoptGLObjectAt(d, name, gpureg.GLAdoptDelete, site)
	if err != nil {
		glDelete(d.Kind, name)
	}
	return o, err
}
