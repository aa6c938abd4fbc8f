// Sprite vertex shader, shared by the GL and Vulkan paths of gpureg-demo. No #version here: the
// build compiles it for Vulkan with glslc (which defines VULKAN), the GL path prepends the line
// its context wants. Positions arrive in pixels with the origin at the top-left, so both APIs run
// the same arithmetic; only the sign of y differs, because GL's clip space points y up.

#ifdef VULKAN
#define VARYING(n) layout(location = n)
layout(push_constant) uniform Viewport { vec2 size; } u_viewport;
#define VIEWPORT_SIZE u_viewport.size
#else
// GLSL 3.30 has no locations on varyings; GL matches them by name.
#define VARYING(n)
uniform vec2 u_viewport_size;
#define VIEWPORT_SIZE u_viewport_size
#endif

layout(location = 0) in vec2 in_position; // pixels, top-left origin
layout(location = 1) in vec2 in_uv;
layout(location = 2) in vec4 in_tint;

VARYING(0) out vec2 v_uv;
VARYING(1) out vec4 v_tint;

void main() {
    vec2 ndc = in_position / VIEWPORT_SIZE * 2.0 - 1.0;
#ifndef VULKAN
    ndc.y = -ndc.y;
#endif
    gl_Position = vec4(ndc, 0.0, 1.0);
    v_uv = in_uv;
    v_tint = in_tint;
}
