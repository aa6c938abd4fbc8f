// Sprite fragment shader: one texture, sampled nearest (the sampler says so), times a tint.
// Shared by GL and Vulkan; see sprite.vert for how the #version line is chosen.

#ifdef VULKAN
#define VARYING(n) layout(location = n)
layout(set = 0, binding = 0) uniform sampler2D u_texture;
#else
#define VARYING(n)
uniform sampler2D u_texture;
#endif

VARYING(0) in vec2 v_uv;
VARYING(1) in vec4 v_tint;

layout(location = 0) out vec4 out_color;

void main() {
    out_color = texture(u_texture, v_uv) * v_tint;
}
