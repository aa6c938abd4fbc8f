/* gl_api.h — gpureg's own declarations of the part of OpenGL / GLES the GL backend uses.
 *
 * Why: the backend must compile with no GL headers installed (the Go package builds these sources
 * through cgo on machines that may have only a C compiler). gpureg links no GL library either: every
 * entry point is loaded through the app's get_proc_address. So this header declares exactly what
 * src/gl uses — scalar types, GLDEBUGPROC, the PFNGL...PROC pointer types of gpureg_gl_functions and
 * the GL_* enums — with the standard GL spellings, so the code still reads as GL.
 *
 * Values and signatures are those of the Khronos registry (gl.xml, as generated into glcorearb.h and
 * gl2ext.h), each macro spelled token for token as there. tests/gl/test_gl_api_header.c includes the
 * system <GL/glcorearb.h> and then this file, so any constant or type that differs fails that build.
 * Add a name here when the backend starts using it; never include a system GL header from src/. */
#ifndef GPUREG_GL_API_H
#define GPUREG_GL_API_H

#include <stdint.h>

/* Calling convention of GL entry points and of the debug callback (glcorearb.h's APIENTRY). Private
 * name so that it never collides with <windows.h> or a GL header the app includes. */
#if defined(_WIN32) && !defined(__CYGWIN__)
#define GPUREG_GLAPIENTRY __stdcall
#else
#define GPUREG_GLAPIENTRY
#endif

/* ---- Scalar types ------------------------------------------------------------------------------ */

typedef unsigned int GLenum;
typedef unsigned char GLboolean;
typedef unsigned int GLbitfield;
typedef int GLint;
typedef unsigned int GLuint;
typedef int GLsizei;
typedef char GLchar;
typedef unsigned char GLubyte; /* khronos_uint8_t */
typedef uint64_t GLuint64;     /* khronos_uint64_t */

/* GLintptr / GLsizeiptr follow khrplatform.h's khronos_intptr_t / khronos_ssize_t: pointer-sized,
 * and the same C type as there (long long on Win64, long elsewhere), so that the two headers agree. */
#if defined(__SIZEOF_LONG__) && defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ > __SIZEOF_LONG__
typedef intptr_t GLintptr;
#elif defined(_WIN64)
typedef signed long long int GLintptr;
#else
typedef signed long int GLintptr;
#endif
#if defined(_WIN64)
typedef signed long long int GLsizeiptr;
#else
typedef signed long int GLsizeiptr;
#endif

/* GL 3.2 / ARB_sync: an opaque fence object. */
typedef struct __GLsync *GLsync;

/* GL 4.3 / KHR_debug: the debug message callback. */
typedef void(GPUREG_GLAPIENTRY *GLDEBUGPROC)(GLenum source, GLenum type, GLuint id, GLenum severity, GLsizei length,
                                             const GLchar *message, const void *userParam);

/* ---- Enums ------------------------------------------------------------------------------------- */

/* Booleans and errors */
#define GL_FALSE                         0
#define GL_TRUE                          1
#define GL_NONE                          0
#define GL_NO_ERROR                      0
#define GL_INVALID_ENUM                  0x0500
#define GL_INVALID_VALUE                 0x0501
#define GL_INVALID_OPERATION             0x0502
#define GL_OUT_OF_MEMORY                 0x0505
#define GL_INVALID_FRAMEBUFFER_OPERATION 0x0506

/* glGetString / glGetStringi / glGetIntegerv */
#define GL_VERSION                          0x1F02
#define GL_EXTENSIONS                       0x1F03
#define GL_NUM_EXTENSIONS                   0x821D
#define GL_MAX_TEXTURE_SIZE                 0x0D33
#define GL_MAX_ARRAY_TEXTURE_LAYERS         0x88FF
#define GL_MAX_LABEL_LENGTH                 0x82E8
#define GL_IMPLEMENTATION_COLOR_READ_TYPE   0x8B9A
#define GL_IMPLEMENTATION_COLOR_READ_FORMAT 0x8B9B
#define GL_MAX_RENDERBUFFER_SIZE            0x84E8
#define GL_MAX_SAMPLES                      0x8D57
#define GL_SAMPLES                          0x80A9
#define GL_NUM_SAMPLE_COUNTS                0x9380

/* Texture targets, bindings and parameters */
#define GL_TEXTURE_2D               0x0DE1
#define GL_TEXTURE_2D_ARRAY         0x8C1A
#define GL_TEXTURE_BINDING_2D       0x8069
#define GL_TEXTURE_BINDING_2D_ARRAY 0x8C1D
#define GL_TEXTURE_MAX_LEVEL        0x813D

/* Sampling state (textures and sampler objects) */
#define GL_TEXTURE_MAG_FILTER     0x2800
#define GL_TEXTURE_MIN_FILTER     0x2801
#define GL_TEXTURE_WRAP_S         0x2802
#define GL_TEXTURE_WRAP_T         0x2803
#define GL_NEAREST                0x2600
#define GL_LINEAR                 0x2601
#define GL_NEAREST_MIPMAP_NEAREST 0x2700
#define GL_LINEAR_MIPMAP_NEAREST  0x2701
#define GL_NEAREST_MIPMAP_LINEAR  0x2702
#define GL_LINEAR_MIPMAP_LINEAR   0x2703
#define GL_REPEAT                 0x2901
#define GL_CLAMP_TO_EDGE          0x812F
#define GL_MIRRORED_REPEAT        0x8370

/* Sized internal formats */
#define GL_R8                 0x8229
#define GL_RG8                0x822B
#define GL_RGBA8              0x8058
#define GL_SRGB8_ALPHA8       0x8C43
#define GL_RGBA16F            0x881A
#define GL_RGBA32F            0x8814
#define GL_DEPTH_COMPONENT32F 0x8CAC
#define GL_DEPTH24_STENCIL8   0x88F0
#define GL_STENCIL_INDEX8     0x8D48
#define GL_BGRA8_EXT          0x93A1 /* GLES: EXT_texture_storage with EXT_texture_format_BGRA8888 */

/* Client pixel formats and types */
#define GL_RED               0x1903
#define GL_RG                0x8227
#define GL_RGBA              0x1908
#define GL_BGRA              0x80E1
#define GL_BGRA_EXT          0x80E1 /* GLES: EXT_texture_format_BGRA8888 (same value as GL_BGRA) */
#define GL_DEPTH_COMPONENT   0x1902
#define GL_DEPTH_STENCIL     0x84F9
#define GL_STENCIL_INDEX     0x1901
#define GL_UNSIGNED_BYTE     0x1401
#define GL_FLOAT             0x1406
#define GL_HALF_FLOAT        0x140B
#define GL_UNSIGNED_INT_24_8 0x84FA

/* glPixelStorei */
#define GL_UNPACK_ROW_LENGTH 0x0CF2
#define GL_UNPACK_ALIGNMENT  0x0CF5
#define GL_PACK_ROW_LENGTH   0x0D02
#define GL_PACK_ALIGNMENT    0x0D05

/* Buffer targets and their bindings */
#define GL_PIXEL_PACK_BUFFER           0x88EB
#define GL_PIXEL_UNPACK_BUFFER         0x88EC
#define GL_PIXEL_PACK_BUFFER_BINDING   0x88ED
#define GL_PIXEL_UNPACK_BUFFER_BINDING 0x88EF
#define GL_COPY_READ_BUFFER            0x8F36
#define GL_COPY_WRITE_BUFFER           0x8F37
#define GL_COPY_READ_BUFFER_BINDING    0x8F36
#define GL_COPY_WRITE_BUFFER_BINDING   0x8F37

/* Buffer usage hints (glBufferData) and storage / map flags */
#define GL_STREAM_DRAW         0x88E0
#define GL_STREAM_READ         0x88E1
#define GL_STATIC_DRAW         0x88E4
#define GL_DYNAMIC_DRAW        0x88E8
#define GL_MAP_READ_BIT        0x0001
#define GL_MAP_WRITE_BIT       0x0002
#define GL_DYNAMIC_STORAGE_BIT 0x0100
#define GL_CLIENT_STORAGE_BIT  0x0200

/* Framebuffers and renderbuffers */
#define GL_FRAMEBUFFER              0x8D40
#define GL_READ_FRAMEBUFFER         0x8CA8
#define GL_DRAW_FRAMEBUFFER         0x8CA9
#define GL_READ_FRAMEBUFFER_BINDING 0x8CAA
#define GL_DRAW_FRAMEBUFFER_BINDING 0x8CA6
#define GL_FRAMEBUFFER_COMPLETE     0x8CD5
#define GL_COLOR_ATTACHMENT0        0x8CE0
#define GL_DEPTH_ATTACHMENT         0x8D00
#define GL_STENCIL_ATTACHMENT       0x8D20
#define GL_DEPTH_STENCIL_ATTACHMENT 0x821A
#define GL_RENDERBUFFER             0x8D41
#define GL_RENDERBUFFER_BINDING     0x8CA7

/* Vertex arrays: GL_VERTEX_ARRAY names them in glObjectLabel (and gl_bind's table) */
#define GL_VERTEX_ARRAY         0x8074
#define GL_VERTEX_ARRAY_BINDING 0x85B5

/* Shaders and programs */
#define GL_VERTEX_SHADER   0x8B31
#define GL_FRAGMENT_SHADER 0x8B30
#define GL_COMPUTE_SHADER  0x91B9
#define GL_COMPILE_STATUS  0x8B81
#define GL_LINK_STATUS     0x8B82
#define GL_INFO_LOG_LENGTH 0x8B84
#define GL_SHADER_TYPE     0x8B4F

/* Sync objects */
#define GL_SYNC_GPU_COMMANDS_COMPLETE 0x9117
#define GL_SYNC_FLUSH_COMMANDS_BIT    0x00000001
#define GL_TIMEOUT_EXPIRED            0x911B
#define GL_WAIT_FAILED                0x911D

/* KHR_debug: debug output state, message types and severities, object label namespaces */
#define GL_DEBUG_OUTPUT_SYNCHRONOUS      0x8242
#define GL_DEBUG_CALLBACK_FUNCTION       0x8244
#define GL_DEBUG_CALLBACK_USER_PARAM     0x8245
#define GL_DEBUG_OUTPUT                  0x92E0
#define GL_DEBUG_SOURCE_API              0x8246
#define GL_DEBUG_TYPE_ERROR              0x824C
#define GL_DEBUG_TYPE_UNDEFINED_BEHAVIOR 0x824E
#define GL_DEBUG_TYPE_PERFORMANCE        0x8250
#define GL_DEBUG_SEVERITY_HIGH           0x9146
#define GL_DEBUG_SEVERITY_MEDIUM         0x9147
#define GL_TEXTURE                       0x1702
#define GL_BUFFER                        0x82E0
#define GL_SHADER                        0x82E1
#define GL_PROGRAM                       0x82E2
#define GL_SAMPLER                       0x82E6

/* Robustness (GL 4.5 / ARB_robustness / KHR_robustness / EXT_robustness): reset status */
#define GL_GUILTY_CONTEXT_RESET   0x8253
#define GL_INNOCENT_CONTEXT_RESET 0x8254
#define GL_UNKNOWN_CONTEXT_RESET  0x8255

/* ---- Entry points (gpureg_gl_functions in gl_backend.h) ----------------------------------------- */

/* State, errors and queries (GL 1.0 – 3.0) */
typedef GLenum(GPUREG_GLAPIENTRY *PFNGLGETERRORPROC)(void);
typedef void(GPUREG_GLAPIENTRY *PFNGLGETINTEGERVPROC)(GLenum pname, GLint *data);
typedef const GLubyte *(GPUREG_GLAPIENTRY *PFNGLGETSTRINGPROC)(GLenum name);
typedef const GLubyte *(GPUREG_GLAPIENTRY *PFNGLGETSTRINGIPROC)(GLenum name, GLuint index);
typedef void(GPUREG_GLAPIENTRY *PFNGLENABLEPROC)(GLenum cap);
typedef void(GPUREG_GLAPIENTRY *PFNGLDISABLEPROC)(GLenum cap);
typedef GLboolean(GPUREG_GLAPIENTRY *PFNGLISENABLEDPROC)(GLenum cap);
typedef void(GPUREG_GLAPIENTRY *PFNGLFLUSHPROC)(void);
typedef void(GPUREG_GLAPIENTRY *PFNGLPIXELSTOREIPROC)(GLenum pname, GLint param);

/* Textures */
typedef void(GPUREG_GLAPIENTRY *PFNGLGENTEXTURESPROC)(GLsizei n, GLuint *textures);
typedef void(GPUREG_GLAPIENTRY *PFNGLDELETETEXTURESPROC)(GLsizei n, const GLuint *textures);
typedef GLboolean(GPUREG_GLAPIENTRY *PFNGLISTEXTUREPROC)(GLuint texture);
typedef void(GPUREG_GLAPIENTRY *PFNGLBINDTEXTUREPROC)(GLenum target, GLuint texture);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXPARAMETERIPROC)(GLenum target, GLenum pname, GLint param);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXIMAGE2DPROC)(GLenum target, GLint level, GLint internalformat, GLsizei width,
                                                     GLsizei height, GLint border, GLenum format, GLenum type,
                                                     const void *pixels);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXIMAGE3DPROC)(GLenum target, GLint level, GLint internalformat, GLsizei width,
                                                     GLsizei height, GLsizei depth, GLint border, GLenum format,
                                                     GLenum type, const void *pixels);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXSUBIMAGE2DPROC)(GLenum target, GLint level, GLint xoffset, GLint yoffset,
                                                        GLsizei width, GLsizei height, GLenum format, GLenum type,
                                                        const void *pixels);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXSUBIMAGE3DPROC)(GLenum target, GLint level, GLint xoffset, GLint yoffset,
                                                        GLint zoffset, GLsizei width, GLsizei height, GLsizei depth,
                                                        GLenum format, GLenum type, const void *pixels);
/* GL 4.2 / ARB_texture_storage / GLES 3.0 */
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXSTORAGE2DPROC)(GLenum target, GLsizei levels, GLenum internalformat,
                                                       GLsizei width, GLsizei height);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXSTORAGE3DPROC)(GLenum target, GLsizei levels, GLenum internalformat,
                                                       GLsizei width, GLsizei height, GLsizei depth);

/* Buffers */
typedef void(GPUREG_GLAPIENTRY *PFNGLGENBUFFERSPROC)(GLsizei n, GLuint *buffers);
typedef void(GPUREG_GLAPIENTRY *PFNGLDELETEBUFFERSPROC)(GLsizei n, const GLuint *buffers);
typedef GLboolean(GPUREG_GLAPIENTRY *PFNGLISBUFFERPROC)(GLuint buffer);
typedef void(GPUREG_GLAPIENTRY *PFNGLBINDBUFFERPROC)(GLenum target, GLuint buffer);
typedef void(GPUREG_GLAPIENTRY *PFNGLBUFFERDATAPROC)(GLenum target, GLsizeiptr size, const void *data, GLenum usage);
typedef void(GPUREG_GLAPIENTRY *PFNGLBUFFERSUBDATAPROC)(GLenum target, GLintptr offset, GLsizeiptr size,
                                                        const void *data);
typedef void(GPUREG_GLAPIENTRY *PFNGLCOPYBUFFERSUBDATAPROC)(GLenum readTarget, GLenum writeTarget, GLintptr readOffset,
                                                            GLintptr writeOffset, GLsizeiptr size);
typedef void *(GPUREG_GLAPIENTRY *PFNGLMAPBUFFERRANGEPROC)(GLenum target, GLintptr offset, GLsizeiptr length,
                                                           GLbitfield access);
typedef GLboolean(GPUREG_GLAPIENTRY *PFNGLUNMAPBUFFERPROC)(GLenum target);
/* GL 1.5 (desktop only) */
typedef void(GPUREG_GLAPIENTRY *PFNGLGETBUFFERSUBDATAPROC)(GLenum target, GLintptr offset, GLsizeiptr size, void *data);
/* GL 4.4 / ARB_buffer_storage / EXT_buffer_storage */
typedef void(GPUREG_GLAPIENTRY *PFNGLBUFFERSTORAGEPROC)(GLenum target, GLsizeiptr size, const void *data,
                                                        GLbitfield flags);

/* Framebuffers and reads */
typedef void(GPUREG_GLAPIENTRY *PFNGLGENFRAMEBUFFERSPROC)(GLsizei n, GLuint *framebuffers);
typedef void(GPUREG_GLAPIENTRY *PFNGLDELETEFRAMEBUFFERSPROC)(GLsizei n, const GLuint *framebuffers);
typedef void(GPUREG_GLAPIENTRY *PFNGLBINDFRAMEBUFFERPROC)(GLenum target, GLuint framebuffer);
typedef void(GPUREG_GLAPIENTRY *PFNGLFRAMEBUFFERTEXTURE2DPROC)(GLenum target, GLenum attachment, GLenum textarget,
                                                               GLuint texture, GLint level);
typedef void(GPUREG_GLAPIENTRY *PFNGLFRAMEBUFFERTEXTURELAYERPROC)(GLenum target, GLenum attachment, GLuint texture,
                                                                  GLint level, GLint layer);
typedef GLenum(GPUREG_GLAPIENTRY *PFNGLCHECKFRAMEBUFFERSTATUSPROC)(GLenum target);
typedef void(GPUREG_GLAPIENTRY *PFNGLREADBUFFERPROC)(GLenum src);
typedef void(GPUREG_GLAPIENTRY *PFNGLREADPIXELSPROC)(GLint x, GLint y, GLsizei width, GLsizei height, GLenum format,
                                                     GLenum type, void *pixels);
typedef GLboolean(GPUREG_GLAPIENTRY *PFNGLISFRAMEBUFFERPROC)(GLuint framebuffer);
typedef void(GPUREG_GLAPIENTRY *PFNGLFRAMEBUFFERRENDERBUFFERPROC)(GLenum target, GLenum attachment,
                                                                  GLenum renderbuffertarget, GLuint renderbuffer);
typedef void(GPUREG_GLAPIENTRY *PFNGLDRAWBUFFERSPROC)(GLsizei n, const GLenum *bufs);
typedef void(GPUREG_GLAPIENTRY *PFNGLGENRENDERBUFFERSPROC)(GLsizei n, GLuint *renderbuffers);
typedef void(GPUREG_GLAPIENTRY *PFNGLDELETERENDERBUFFERSPROC)(GLsizei n, const GLuint *renderbuffers);
typedef GLboolean(GPUREG_GLAPIENTRY *PFNGLISRENDERBUFFERPROC)(GLuint renderbuffer);
typedef void(GPUREG_GLAPIENTRY *PFNGLBINDRENDERBUFFERPROC)(GLenum target, GLuint renderbuffer);
typedef void(GPUREG_GLAPIENTRY *PFNGLRENDERBUFFERSTORAGEPROC)(GLenum target, GLenum internalformat, GLsizei width,
                                                              GLsizei height);
typedef void(GPUREG_GLAPIENTRY *PFNGLRENDERBUFFERSTORAGEMULTISAMPLEPROC)(GLenum target, GLsizei samples,
                                                                         GLenum internalformat, GLsizei width,
                                                                         GLsizei height);
/* GL 4.2 / ARB_internalformat_query / GLES 3.0 */
typedef void(GPUREG_GLAPIENTRY *PFNGLGETINTERNALFORMATIVPROC)(GLenum target, GLenum internalformat, GLenum pname,
                                                              GLsizei count, GLint *params);

/* Vertex arrays (GL 3.0 / GLES 3.0) */
typedef void(GPUREG_GLAPIENTRY *PFNGLGENVERTEXARRAYSPROC)(GLsizei n, GLuint *arrays);
typedef void(GPUREG_GLAPIENTRY *PFNGLDELETEVERTEXARRAYSPROC)(GLsizei n, const GLuint *arrays);
typedef GLboolean(GPUREG_GLAPIENTRY *PFNGLISVERTEXARRAYPROC)(GLuint array);
typedef void(GPUREG_GLAPIENTRY *PFNGLBINDVERTEXARRAYPROC)(GLuint array);

/* Shaders and programs (GL 2.0 / GLES 2.0) */
typedef GLuint(GPUREG_GLAPIENTRY *PFNGLCREATESHADERPROC)(GLenum type);
typedef void(GPUREG_GLAPIENTRY *PFNGLDELETESHADERPROC)(GLuint shader);
typedef GLboolean(GPUREG_GLAPIENTRY *PFNGLISSHADERPROC)(GLuint shader);
typedef void(GPUREG_GLAPIENTRY *PFNGLSHADERSOURCEPROC)(GLuint shader, GLsizei count, const GLchar *const *string,
                                                       const GLint *length);
typedef void(GPUREG_GLAPIENTRY *PFNGLCOMPILESHADERPROC)(GLuint shader);
typedef void(GPUREG_GLAPIENTRY *PFNGLGETSHADERIVPROC)(GLuint shader, GLenum pname, GLint *params);
typedef void(GPUREG_GLAPIENTRY *PFNGLGETSHADERINFOLOGPROC)(GLuint shader, GLsizei bufSize, GLsizei *length,
                                                           GLchar *infoLog);
typedef GLuint(GPUREG_GLAPIENTRY *PFNGLCREATEPROGRAMPROC)(void);
typedef void(GPUREG_GLAPIENTRY *PFNGLDELETEPROGRAMPROC)(GLuint program);
typedef GLboolean(GPUREG_GLAPIENTRY *PFNGLISPROGRAMPROC)(GLuint program);
typedef void(GPUREG_GLAPIENTRY *PFNGLATTACHSHADERPROC)(GLuint program, GLuint shader);
typedef void(GPUREG_GLAPIENTRY *PFNGLDETACHSHADERPROC)(GLuint program, GLuint shader);
typedef void(GPUREG_GLAPIENTRY *PFNGLLINKPROGRAMPROC)(GLuint program);
typedef void(GPUREG_GLAPIENTRY *PFNGLGETPROGRAMIVPROC)(GLuint program, GLenum pname, GLint *params);
typedef void(GPUREG_GLAPIENTRY *PFNGLGETPROGRAMINFOLOGPROC)(GLuint program, GLsizei bufSize, GLsizei *length,
                                                            GLchar *infoLog);

/* Sampler objects (GL 3.3 / ARB_sampler_objects / GLES 3.0) */
typedef void(GPUREG_GLAPIENTRY *PFNGLGENSAMPLERSPROC)(GLsizei count, GLuint *samplers);
typedef void(GPUREG_GLAPIENTRY *PFNGLDELETESAMPLERSPROC)(GLsizei count, const GLuint *samplers);
typedef GLboolean(GPUREG_GLAPIENTRY *PFNGLISSAMPLERPROC)(GLuint sampler);
typedef void(GPUREG_GLAPIENTRY *PFNGLSAMPLERPARAMETERIPROC)(GLuint sampler, GLenum pname, GLint param);

/* Reset status (GL 4.5 / GLES 3.2 / the robustness extensions, under their suffixes) */
typedef GLenum(GPUREG_GLAPIENTRY *PFNGLGETGRAPHICSRESETSTATUSPROC)(void);

/* Sync objects (GL 3.2 / ARB_sync / GLES 3.0) */
typedef GLsync(GPUREG_GLAPIENTRY *PFNGLFENCESYNCPROC)(GLenum condition, GLbitfield flags);
typedef GLenum(GPUREG_GLAPIENTRY *PFNGLCLIENTWAITSYNCPROC)(GLsync sync, GLbitfield flags, GLuint64 timeout);
typedef void(GPUREG_GLAPIENTRY *PFNGLDELETESYNCPROC)(GLsync sync);

/* Debug output and labels (GL 4.3 / KHR_debug / GLES 3.2) */
typedef void(GPUREG_GLAPIENTRY *PFNGLDEBUGMESSAGECALLBACKPROC)(GLDEBUGPROC callback, const void *userParam);
typedef void(GPUREG_GLAPIENTRY *PFNGLGETPOINTERVPROC)(GLenum pname, void **params);
typedef void(GPUREG_GLAPIENTRY *PFNGLOBJECTLABELPROC)(GLenum identifier, GLuint name, GLsizei length,
                                                      const GLchar *label);

/* Direct state access (GL 4.5 / ARB_direct_state_access) */
typedef void(GPUREG_GLAPIENTRY *PFNGLCREATETEXTURESPROC)(GLenum target, GLsizei n, GLuint *textures);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXTURESTORAGE2DPROC)(GLuint texture, GLsizei levels, GLenum internalformat,
                                                           GLsizei width, GLsizei height);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXTURESTORAGE3DPROC)(GLuint texture, GLsizei levels, GLenum internalformat,
                                                           GLsizei width, GLsizei height, GLsizei depth);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXTURESUBIMAGE2DPROC)(GLuint texture, GLint level, GLint xoffset, GLint yoffset,
                                                            GLsizei width, GLsizei height, GLenum format, GLenum type,
                                                            const void *pixels);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXTURESUBIMAGE3DPROC)(GLuint texture, GLint level, GLint xoffset, GLint yoffset,
                                                            GLint zoffset, GLsizei width, GLsizei height, GLsizei depth,
                                                            GLenum format, GLenum type, const void *pixels);
typedef void(GPUREG_GLAPIENTRY *PFNGLGETTEXTURESUBIMAGEPROC)(GLuint texture, GLint level, GLint xoffset, GLint yoffset,
                                                             GLint zoffset, GLsizei width, GLsizei height,
                                                             GLsizei depth, GLenum format, GLenum type, GLsizei bufSize,
                                                             void *pixels);
typedef void(GPUREG_GLAPIENTRY *PFNGLCREATEBUFFERSPROC)(GLsizei n, GLuint *buffers);
typedef void(GPUREG_GLAPIENTRY *PFNGLNAMEDBUFFERSTORAGEPROC)(GLuint buffer, GLsizeiptr size, const void *data,
                                                             GLbitfield flags);
typedef void(GPUREG_GLAPIENTRY *PFNGLNAMEDBUFFERDATAPROC)(GLuint buffer, GLsizeiptr size, const void *data,
                                                          GLenum usage);
typedef void(GPUREG_GLAPIENTRY *PFNGLNAMEDBUFFERSUBDATAPROC)(GLuint buffer, GLintptr offset, GLsizeiptr size,
                                                             const void *data);
typedef void(GPUREG_GLAPIENTRY *PFNGLGETNAMEDBUFFERSUBDATAPROC)(GLuint buffer, GLintptr offset, GLsizeiptr size,
                                                                void *data);
typedef void(GPUREG_GLAPIENTRY *PFNGLTEXTUREPARAMETERIPROC)(GLuint texture, GLenum pname, GLint param);
typedef void(GPUREG_GLAPIENTRY *PFNGLCREATEFRAMEBUFFERSPROC)(GLsizei n, GLuint *framebuffers);
typedef void(GPUREG_GLAPIENTRY *PFNGLNAMEDFRAMEBUFFERTEXTUREPROC)(GLuint framebuffer, GLenum attachment, GLuint texture,
                                                                  GLint level);
typedef void(GPUREG_GLAPIENTRY *PFNGLNAMEDFRAMEBUFFERRENDERBUFFERPROC)(GLuint framebuffer, GLenum attachment,
                                                                       GLenum renderbuffertarget, GLuint renderbuffer);
typedef void(GPUREG_GLAPIENTRY *PFNGLNAMEDFRAMEBUFFERDRAWBUFFERSPROC)(GLuint framebuffer, GLsizei n,
                                                                      const GLenum *bufs);
typedef void(GPUREG_GLAPIENTRY *PFNGLNAMEDFRAMEBUFFERREADBUFFERPROC)(GLuint framebuffer, GLenum src);
typedef GLenum(GPUREG_GLAPIENTRY *PFNGLCHECKNAMEDFRAMEBUFFERSTATUSPROC)(GLuint framebuffer, GLenum target);
typedef void(GPUREG_GLAPIENTRY *PFNGLCREATERENDERBUFFERSPROC)(GLsizei n, GLuint *renderbuffers);
typedef void(GPUREG_GLAPIENTRY *PFNGLNAMEDRENDERBUFFERSTORAGEPROC)(GLuint renderbuffer, GLenum internalformat,
                                                                   GLsizei width, GLsizei height);
typedef void(GPUREG_GLAPIENTRY *PFNGLNAMEDRENDERBUFFERSTORAGEMULTISAMPLEPROC)(GLuint renderbuffer, GLsizei samples,
                                                                              GLenum internalformat, GLsizei width,
                                                                              GLsizei height);
typedef void(GPUREG_GLAPIENTRY *PFNGLCREATEVERTEXARRAYSPROC)(GLsizei n, GLuint *arrays);
typedef void(GPUREG_GLAPIENTRY *PFNGLCREATESAMPLERSPROC)(GLsizei n, GLuint *samplers);

#endif /* GPUREG_GL_API_H */
