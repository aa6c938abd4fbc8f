/* window.c — GLFW window setup shared by the GL and Vulkan renderers (see window.h). */
#include "window.h"

#include <stdio.h>

static void key_pressed(GLFWwindow *window, int key, int scancode, int action, int mods) {
    if (key == GLFW_KEY_ESCAPE && action == GLFW_PRESS) glfwSetWindowShouldClose(window, GLFW_TRUE);
}

int demo_window_open(const demo_options *opt, GLFWwindow **out) {
    *out = NULL;
    if (!glfwInit()) {
        fprintf(stderr, "gpureg-demo: cannot open a window (no display?). Use --headless, or run under `xvfb-run -a`.\n"
                        "  Packages: " DEMO_WINDOW_PACKAGES "\n");
        return DEMO_EXIT_NO_DRIVER;
    }
    const char *title = "gpureg-demo (gl)";
    if (opt->api == DEMO_API_VULKAN) {
        if (!glfwVulkanSupported()) {
            glfwTerminate();
            fprintf(stderr,
                    "gpureg-demo: GLFW finds no Vulkan loader.\n  Install: apt-get install " DEMO_VK_PACKAGES "\n");
            return DEMO_EXIT_NO_DRIVER;
        }
        glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
        title = "gpureg-demo (vulkan)";
    } else {
        glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
        glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
        glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
        glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
        /* A debug context, so GL errors reach gpureg's message ring. */
        glfwWindowHint(GLFW_OPENGL_DEBUG_CONTEXT, GLFW_TRUE);
    }
    GLFWwindow *window = glfwCreateWindow((int)opt->width, (int)opt->height, title, NULL, NULL);
    if (!window) {
        glfwTerminate();
        fprintf(stderr, "gpureg-demo: no window with %s.\n  Install: apt-get install %s\n",
                opt->api == DEMO_API_VULKAN ? "Vulkan" : "an OpenGL 3.3 core context",
                opt->api == DEMO_API_VULKAN ? DEMO_VK_PACKAGES : DEMO_GL_PACKAGES);
        return DEMO_EXIT_NO_DRIVER;
    }
    if (opt->api == DEMO_API_GL) {
        glfwMakeContextCurrent(window);
        glfwSwapInterval(1); /* vsync */
    }
    glfwSetKeyCallback(window, key_pressed);
    *out = window;
    return DEMO_EXIT_OK;
}

int demo_window_poll(GLFWwindow *window, gpureg_registry *reg, uint32_t *width, uint32_t *height) {
    glfwPollEvents();
    int w = 0, h = 0;
    glfwGetFramebufferSize(window, &w, &h);
    while (!glfwWindowShouldClose(window) && (w == 0 || h == 0)) {
        glfwWaitEventsTimeout(0.1);
        gpureg_collect(reg, NULL);
        glfwGetFramebufferSize(window, &w, &h);
    }
    if (glfwWindowShouldClose(window)) return 0;
    *width = (uint32_t)w;
    *height = (uint32_t)h;
    return 1;
}

void demo_window_resize(GLFWwindow *window, demo_options *opt, uint32_t width, uint32_t height) {
    if (window) {
        glfwSetWindowSize(window, (int)width, (int)height);
    } else {
        opt->width = width;
        opt->height = height;
    }
}

void demo_window_set_title(GLFWwindow *window, const char *text) {
    if (window) glfwSetWindowTitle(window, text);
}

void demo_window_close(GLFWwindow *window) {
    if (window) glfwDestroyWindow(window);
    glfwTerminate();
}
