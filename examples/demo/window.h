/* window.h — the GLFW window both renderers use when not headless. */
#ifndef DEMO_WINDOW_H
#define DEMO_WINDOW_H

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "demo.h"

/* Initialise GLFW and open a resizable window of the options' size: with a GL 3.3 core debug
 * context (made current, vsync on) for DEMO_API_GL, without a client API for Vulkan. Esc closes it.
 * Returns a DEMO_EXIT_* code; DEMO_EXIT_NO_DRIVER with a message saying what is missing. */
int demo_window_open(const demo_options *opt, GLFWwindow **out);
/* Handle events. While the window is minimised, wait and keep collecting (so released objects
 * are still destroyed). Returns 0 when the window should close; else the framebuffer size. */
int demo_window_poll(GLFWwindow *window, gpureg_registry *reg, uint32_t *width, uint32_t *height);
/* Resize the window, or with no window (headless) the size in `opt` the renderer polls. */
void demo_window_resize(GLFWwindow *window, demo_options *opt, uint32_t width, uint32_t height);
/* Set the window title; nothing without a window. */
void demo_window_set_title(GLFWwindow *window, const char *text);
/* Destroy the window (NULL is fine) and terminate GLFW. */
void demo_window_close(GLFWwindow *window);

#endif
