/*
 * bench_vk — a 64x64 RGBA8 texture's whole life through gpureg's Vulkan backend against the same
 * Vulkan work done by hand, in the same run, on Mesa lavapipe (no validation layer):
 *
 *   raw     vkCreateImage, vkGetImageMemoryRequirements, vkBindImageMemory into one preallocated
 *           block, vkCreateImageView, memcpy into a persistent staging buffer, record barrier +
 *           copy + barrier, vkQueueSubmit with a fence, vkWaitForFences, vkResetFences,
 *           vkDestroyImageView, vkDestroyImage
 *   gpureg  gpureg_texture_create + gpureg_texture_write + gpureg_texture_release + gpureg_collect
 *           (the same calls with the same memory strategy: a sub-allocated block and a persistent
 *           staging buffer; plus handle bookkeeping and the debug name when debug utils is on)
 *
 * The same without the upload (create + release + collect against image + bind + view + destroy)
 * shows the registry's own cost. The recorded-upload row is the same life in frames of 64 uploads
 * recorded into the app's command buffer (gpureg_vk_set_command_buffer; three command buffers and
 * fences in flight, one submit per frame) against hand-written Vulkan recording the same copies
 * from a persistent staging ring; it also gives the vkCreateBuffer and vkAllocateMemory calls per
 * write of both gpureg paths in the steady state (counted by a vkGetInstanceProcAddr wrapper, not
 * by gpureg) and the resident memory per texture of 10,000 live written textures on each path
 * (each in a fresh process). Then the vkAllocateMemory calls for 100,000 live 16x16 RGBA8
 * textures. Each time is the median over --reps repetitions of N cycles, variants interleaved.
 * Every cycle row also carries callgrind's instructions per cycle (bench_callgrind.h): gpureg's
 * own code and the whole calling thread (skipped without valgrind, or with
 * GPUREG_BENCH_NO_CALLGRIND=1).
 */
#include "bench_callgrind.h"
#include "bench_util.h"

#include <gpureg/gpureg_vk.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void bench_fail(const char *what) {
    fprintf(stderr, "bench_vk: %s (install mesa-vulkan-drivers)\n", what);
    exit(3);
}

static void bench_check(VkResult vr, const char *what) {
    if (vr != VK_SUCCESS) bench_fail(what);
}

typedef struct device {
    VkInstance instance;
    VkPhysicalDevice physical;
    VkDevice device;
    VkQueue queue;
    uint32_t family;
} device;

static void make_device(device *d) {
    VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO, .apiVersion = VK_API_VERSION_1_2};
    VkInstanceCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, .pApplicationInfo = &app};
    bench_check(vkCreateInstance(&ici, NULL, &d->instance), "no Vulkan instance");
    uint32_t n = 1;
    VkResult vr = vkEnumeratePhysicalDevices(d->instance, &n, &d->physical);
    if ((vr != VK_SUCCESS && vr != VK_INCOMPLETE) || !n) bench_fail("no Vulkan device");
    VkQueueFamilyProperties qp[8];
    uint32_t qn = 8;
    vkGetPhysicalDeviceQueueFamilyProperties(d->physical, &qn, qp);
    d->family = 0;
    while (d->family < qn && !(qp[d->family].queueFlags & VK_QUEUE_GRAPHICS_BIT))
        d->family++;
    if (d->family == qn) bench_fail("no graphics queue");
    float prio = 1;
    VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                   .queueFamilyIndex = d->family,
                                   .queueCount = 1,
                                   .pQueuePriorities = &prio};
    VkDeviceCreateInfo dci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, .queueCreateInfoCount = 1, .pQueueCreateInfos = &qci};
    bench_check(vkCreateDevice(d->physical, &dci, NULL, &d->device), "vkCreateDevice");
    vkGetDeviceQueue(d->device, d->family, 0, &d->queue);
}

/* ---- Counting what gpureg asks of the driver ------------------------------------------------- */
static uint64_t allocate_calls, create_buffer_calls;
/* Bytes in the VkBuffers gpureg has alive: its staging, as the bench makes no gpureg buffers. */
static uint64_t staging_bytes;
enum { TRACKED = 256 };
static struct tracked {
    VkBuffer buffer;
    VkDeviceSize size;
} tracked[TRACKED];

static VkResult VKAPI_PTR counting_allocate(VkDevice dev, const VkMemoryAllocateInfo *ai,
                                            const VkAllocationCallbacks *cb, VkDeviceMemory *out) {
    allocate_calls++;
    return vkAllocateMemory(dev, ai, cb, out);
}
static VkResult VKAPI_PTR counting_create_buffer(VkDevice dev, const VkBufferCreateInfo *ci,
                                                 const VkAllocationCallbacks *cb, VkBuffer *out) {
    create_buffer_calls++;
    VkResult vr = vkCreateBuffer(dev, ci, cb, out);
    for (int i = 0; vr == VK_SUCCESS && i < TRACKED; i++)
        if (!tracked[i].buffer) {
            tracked[i] = (struct tracked){*out, ci->size};
            staging_bytes += ci->size;
            break;
        }
    return vr;
}
static void VKAPI_PTR counting_destroy_buffer(VkDevice dev, VkBuffer buffer, const VkAllocationCallbacks *cb) {
    for (int i = 0; buffer && i < TRACKED; i++)
        if (tracked[i].buffer == buffer) {
            staging_bytes -= tracked[i].size;
            tracked[i].buffer = VK_NULL_HANDLE;
            break;
        }
    vkDestroyBuffer(dev, buffer, cb);
}
static PFN_vkVoidFunction VKAPI_PTR counting_gdpa(VkDevice dev, const char *name) {
    if (!strcmp(name, "vkAllocateMemory")) return (PFN_vkVoidFunction)counting_allocate;
    if (!strcmp(name, "vkCreateBuffer")) return (PFN_vkVoidFunction)counting_create_buffer;
    if (!strcmp(name, "vkDestroyBuffer")) return (PFN_vkVoidFunction)counting_destroy_buffer;
    return vkGetDeviceProcAddr(dev, name);
}
static PFN_vkVoidFunction VKAPI_PTR counting_gipa(VkInstance inst, const char *name) {
    if (!strcmp(name, "vkGetDeviceProcAddr")) return (PFN_vkVoidFunction)counting_gdpa;
    return vkGetInstanceProcAddr(inst, name);
}

/* ---- The app's frames: command buffers and fences in flight, as a renderer paces them --------- */
enum { SLOTS = 3, FRAME_UPLOADS = 64 };

typedef struct app_frames {
    device *d;
    VkCommandPool pool;
    VkCommandBuffer cmd[SLOTS];
    VkFence fence[SLOTS];
    int pending[SLOTS];
    uint64_t count;
} app_frames;

static void app_frames_init(app_frames *a, device *d) {
    memset(a, 0, sizeof *a);
    a->d = d;
    VkCommandPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                  .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
                                  .queueFamilyIndex = d->family};
    bench_check(vkCreateCommandPool(d->device, &pi, NULL, &a->pool), "vkCreateCommandPool");
    VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                       .commandPool = a->pool,
                                       .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                       .commandBufferCount = SLOTS};
    bench_check(vkAllocateCommandBuffers(d->device, &cai, a->cmd), "vkAllocateCommandBuffers");
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    for (int i = 0; i < SLOTS; i++)
        bench_check(vkCreateFence(d->device, &fi, NULL, &a->fence[i]), "vkCreateFence");
}

/* The next slot, once the frame that used it last has finished (its fence not reset yet). */
static int bench_slot_wait(app_frames *a) {
    int s = (int)(a->count++ % SLOTS);
    if (a->pending[s])
        bench_check(vkWaitForFences(a->d->device, 1, &a->fence[s], VK_TRUE, UINT64_MAX), "vkWaitForFences");
    return s;
}

static void bench_slot_begin(app_frames *a, int s) {
    if (a->pending[s]) bench_check(vkResetFences(a->d->device, 1, &a->fence[s]), "vkResetFences");
    a->pending[s] = 0;
    bench_check(vkResetCommandBuffer(a->cmd[s], 0), "vkResetCommandBuffer");
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    bench_check(vkBeginCommandBuffer(a->cmd[s], &bi), "vkBeginCommandBuffer");
}

static void bench_slot_submit(app_frames *a, int s) {
    bench_check(vkEndCommandBuffer(a->cmd[s]), "vkEndCommandBuffer");
    VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &a->cmd[s]};
    bench_check(vkQueueSubmit(a->d->queue, 1, &si, a->fence[s]), "vkQueueSubmit");
    a->pending[s] = 1;
}

static void app_frames_idle(app_frames *a) {
    for (int s = 0; s < SLOTS; s++)
        if (a->pending[s])
            bench_check(vkWaitForFences(a->d->device, 1, &a->fence[s], VK_TRUE, UINT64_MAX), "vkWaitForFences");
}

static void app_frames_free(app_frames *a) {
    app_frames_idle(a);
    for (int i = 0; i < SLOTS; i++)
        vkDestroyFence(a->d->device, a->fence[i], NULL);
    vkDestroyCommandPool(a->d->device, a->pool, NULL);
}

/* ---- Raw Vulkan, same memory strategy ---------------------------------------------------------- */
typedef struct raw {
    device *d;
    VkDeviceMemory block, staging_mem;
    VkBuffer staging; /* SLOTS MiB: one frame's uploads per slot when recording */
    void *mapped;
    VkDeviceSize image_stride; /* of one image in the block */
    VkCommandPool pool;
    VkCommandBuffer cmd;
    VkFence fence;
    /* Recorded frames: the images of each slot's frame, destroyed once its fence signalled. */
    app_frames frames;
    VkImage images[SLOTS][FRAME_UPLOADS];
    VkImageView views[SLOTS][FRAME_UPLOADS];
    int live[SLOTS];
} raw;

static uint32_t memory_type(device *d, uint32_t bits, VkMemoryPropertyFlags flags) {
    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(d->physical, &mp);
    for (uint32_t i = 0; i < mp.memoryTypeCount; i++)
        if ((bits & (1u << i)) && (mp.memoryTypes[i].propertyFlags & flags) == flags) return i;
    bench_fail("no memory type");
    return 0;
}

static const VkImageCreateInfo image_info = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
                                             .imageType = VK_IMAGE_TYPE_2D,
                                             .format = VK_FORMAT_R8G8B8A8_UNORM,
                                             .extent = {64, 64, 1},
                                             .mipLevels = 1,
                                             .arrayLayers = 1,
                                             .samples = VK_SAMPLE_COUNT_1_BIT,
                                             .tiling = VK_IMAGE_TILING_OPTIMAL,
                                             .usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT |
                                                      VK_IMAGE_USAGE_TRANSFER_SRC_BIT};

static void raw_init(raw *r, device *d) {
    memset(r, 0, sizeof *r);
    r->d = d;
    VkImage probe;
    bench_check(vkCreateImage(d->device, &image_info, NULL, &probe), "vkCreateImage");
    VkMemoryRequirements req;
    vkGetImageMemoryRequirements(d->device, probe, &req);
    vkDestroyImage(d->device, probe, NULL);
    r->image_stride = (req.size + req.alignment - 1) / req.alignment * req.alignment;
    VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
                               .allocationSize = 64u << 20,
                               .memoryTypeIndex = memory_type(d, req.memoryTypeBits, 0)};
    bench_check(vkAllocateMemory(d->device, &ai, NULL, &r->block), "vkAllocateMemory");
    VkBufferCreateInfo bi = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, .size = SLOTS << 20, .usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT};
    bench_check(vkCreateBuffer(d->device, &bi, NULL, &r->staging), "vkCreateBuffer");
    vkGetBufferMemoryRequirements(d->device, r->staging, &req);
    ai.allocationSize = req.size;
    ai.memoryTypeIndex =
        memory_type(d, req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
    bench_check(vkAllocateMemory(d->device, &ai, NULL, &r->staging_mem), "vkAllocateMemory");
    bench_check(vkBindBufferMemory(d->device, r->staging, r->staging_mem, 0), "vkBindBufferMemory");
    bench_check(vkMapMemory(d->device, r->staging_mem, 0, VK_WHOLE_SIZE, 0, &r->mapped), "vkMapMemory");
    VkCommandPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                  .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT |
                                           VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
                                  .queueFamilyIndex = d->family};
    bench_check(vkCreateCommandPool(d->device, &pi, NULL, &r->pool), "vkCreateCommandPool");
    VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                       .commandPool = r->pool,
                                       .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                       .commandBufferCount = 1};
    bench_check(vkAllocateCommandBuffers(d->device, &cai, &r->cmd), "vkAllocateCommandBuffers");
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    bench_check(vkCreateFence(d->device, &fi, NULL, &r->fence), "vkCreateFence");
    app_frames_init(&r->frames, d);
}

static void bench_raw_slot_free(raw *r, int s) {
    for (int i = 0; i < r->live[s]; i++) {
        vkDestroyImageView(r->d->device, r->views[s][i], NULL);
        vkDestroyImage(r->d->device, r->images[s][i], NULL);
    }
    r->live[s] = 0;
}

static void raw_free(raw *r) {
    VkDevice dev = r->d->device;
    app_frames_free(&r->frames);
    for (int s = 0; s < SLOTS; s++)
        bench_raw_slot_free(r, s);
    vkDestroyFence(dev, r->fence, NULL);
    vkDestroyCommandPool(dev, r->pool, NULL);
    vkDestroyBuffer(dev, r->staging, NULL);
    vkFreeMemory(dev, r->staging_mem, NULL);
    vkFreeMemory(dev, r->block, NULL);
}

static unsigned char pixels[64 * 64 * 4];

static void bench_barrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to, int into) {
    VkImageMemoryBarrier b = {.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
                              .srcAccessMask = into ? 0 : VK_ACCESS_TRANSFER_WRITE_BIT,
                              .dstAccessMask = into ? VK_ACCESS_TRANSFER_WRITE_BIT : VK_ACCESS_SHADER_READ_BIT,
                              .oldLayout = from,
                              .newLayout = to,
                              .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                              .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                              .image = image,
                              .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
    vkCmdPipelineBarrier(cmd, into ? VK_PIPELINE_STAGE_ALL_COMMANDS_BIT : VK_PIPELINE_STAGE_TRANSFER_BIT,
                         into ? VK_PIPELINE_STAGE_TRANSFER_BIT : VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, NULL, 0,
                         NULL, 1, &b);
}

static double bench_raw_cycles(raw *r, int n, int upload) {
    VkDevice dev = r->d->device;
    uint64_t start = bench_now_ns();
    for (int i = 0; i < n; i++) {
        VkImage image;
        VkImageView view;
        bench_check(vkCreateImage(dev, &image_info, NULL, &image), "vkCreateImage");
        VkMemoryRequirements req;
        vkGetImageMemoryRequirements(dev, image, &req);
        bench_check(vkBindImageMemory(dev, image, r->block, 0), "vkBindImageMemory");
        VkImageViewCreateInfo vi = {.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
                                    .image = image,
                                    .viewType = VK_IMAGE_VIEW_TYPE_2D,
                                    .format = VK_FORMAT_R8G8B8A8_UNORM,
                                    .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
        bench_check(vkCreateImageView(dev, &vi, NULL, &view), "vkCreateImageView");
        if (!upload) {
            vkDestroyImageView(dev, view, NULL);
            vkDestroyImage(dev, image, NULL);
            continue;
        }
        memcpy(r->mapped, pixels, sizeof pixels);
        VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                       .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
        bench_check(vkBeginCommandBuffer(r->cmd, &bi), "vkBeginCommandBuffer");
        bench_barrier(r->cmd, image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1);
        VkBufferImageCopy copy = {.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1}, .imageExtent = {64, 64, 1}};
        vkCmdCopyBufferToImage(r->cmd, r->staging, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
        bench_barrier(r->cmd, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, 0);
        bench_check(vkEndCommandBuffer(r->cmd), "vkEndCommandBuffer");
        VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &r->cmd};
        bench_check(vkQueueSubmit(r->d->queue, 1, &si, r->fence), "vkQueueSubmit");
        bench_check(vkWaitForFences(dev, 1, &r->fence, VK_TRUE, UINT64_MAX), "vkWaitForFences");
        bench_check(vkResetFences(dev, 1, &r->fence), "vkResetFences");
        vkResetCommandBuffer(r->cmd, 0);
        vkDestroyImageView(dev, view, NULL);
        vkDestroyImage(dev, image, NULL);
    }
    return (double)(bench_now_ns() - start) / n;
}

static double bench_gpureg_cycles(gpureg_registry *reg, int n, int upload) {
    double ns = bench_gpureg_texture_cycles(reg, n, upload ? pixels : NULL, sizeof pixels);
    if (ns < 0) bench_fail("a gpureg call failed");
    return ns;
}

/* Frames of FRAME_UPLOADS uploads recorded into one command buffer, one submit per frame, SLOTS
 * frames in flight; each image bound at its own offset and destroyed once its frame's fence has
 * signalled. ns per upload. */
static double bench_raw_recorded(raw *r, int frames) {
    VkDevice dev = r->d->device;
    uint64_t start = bench_now_ns();
    for (int f = 0; f < frames; f++) {
        int s = bench_slot_wait(&r->frames);
        bench_raw_slot_free(r, s);
        bench_slot_begin(&r->frames, s);
        VkCommandBuffer cmd = r->frames.cmd[s];
        for (int i = 0; i < FRAME_UPLOADS; i++) {
            VkImage image;
            VkImageView view;
            bench_check(vkCreateImage(dev, &image_info, NULL, &image), "vkCreateImage");
            VkMemoryRequirements req;
            vkGetImageMemoryRequirements(dev, image, &req);
            VkDeviceSize at = (VkDeviceSize)(s * FRAME_UPLOADS + i) * r->image_stride;
            bench_check(vkBindImageMemory(dev, image, r->block, at), "vkBindImageMemory");
            VkImageViewCreateInfo vi = {.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
                                        .image = image,
                                        .viewType = VK_IMAGE_VIEW_TYPE_2D,
                                        .format = VK_FORMAT_R8G8B8A8_UNORM,
                                        .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
            bench_check(vkCreateImageView(dev, &vi, NULL, &view), "vkCreateImageView");
            VkDeviceSize offset = ((VkDeviceSize)s << 20) + (VkDeviceSize)i * sizeof pixels;
            memcpy((char *)r->mapped + offset, pixels, sizeof pixels);
            bench_barrier(cmd, image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1);
            VkBufferImageCopy copy = {.bufferOffset = offset,
                                      .imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
                                      .imageExtent = {64, 64, 1}};
            vkCmdCopyBufferToImage(cmd, r->staging, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
            bench_barrier(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                          0);
            r->images[s][i] = image;
            r->views[s][i] = view;
            r->live[s] = i + 1;
        }
        bench_slot_submit(&r->frames, s);
    }
    return (double)(bench_now_ns() - start) / ((double)frames * FRAME_UPLOADS);
}

/* The same frames through gpureg: create + write (recorded) + release per texture, the frame
 * ended with the slot's fence (gpureg_frame_begin / gpureg_vk_frame_end_fence collect). */
static double bench_gpureg_recorded(gpureg_registry *reg, app_frames *a, int frames) {
    const gpureg_texture_desc desc = {.width = 64, .height = 64, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "bench"};
    const gpureg_texture_region all = {0};
    uint64_t start = bench_now_ns();
    for (int f = 0; f < frames; f++) {
        int s = bench_slot_wait(a);
        if (gpureg_frame_begin(reg) != GPUREG_OK) bench_fail("gpureg_frame_begin failed");
        bench_slot_begin(a, s);
        if (gpureg_vk_set_command_buffer(reg, a->cmd[s]) != GPUREG_OK) bench_fail("set_command_buffer failed");
        for (int i = 0; i < FRAME_UPLOADS; i++) {
            gpureg_texture tex;
            if (gpureg_texture_create(reg, &desc, &tex) != GPUREG_OK ||
                gpureg_texture_write(reg, tex, &all, pixels, sizeof pixels, 0) != GPUREG_OK ||
                gpureg_texture_release(reg, tex) != GPUREG_OK)
                bench_fail("a gpureg call failed");
        }
        bench_slot_submit(a, s);
        if (gpureg_vk_frame_end_fence(reg, a->fence[s]) != GPUREG_OK) bench_fail("gpureg_vk_frame_end_fence failed");
    }
    if (gpureg_vk_set_command_buffer(reg, VK_NULL_HANDLE) != GPUREG_OK) bench_fail("set_command_buffer failed");
    return (double)(bench_now_ns() - start) / ((double)frames * FRAME_UPLOADS);
}

static gpureg_registry *registry(device *d) {
    gpureg_vk_desc vk = {.instance = d->instance,
                         .physical_device = d->physical,
                         .device = d->device,
                         .queue = d->queue,
                         .queue_family_index = d->family,
                         .get_instance_proc_addr = counting_gipa};
    gpureg_registry_desc rd = {.report_format = GPUREG_REPORT_OFF};
    gpureg_registry *reg = NULL;
    if (gpureg_vk_create(&vk, &rd, &reg) != GPUREG_OK) bench_fail("gpureg_vk_create failed");
    return reg;
}

/* vkAllocateMemory calls for `count` live small textures, and the bytes they span. */
static uint64_t allocations_for(device *d, uint32_t count, uint64_t *device_bytes) {
    gpureg_registry *reg = registry(d);
    gpureg_texture *t = malloc(count * sizeof *t);
    if (!t) bench_fail("out of memory");
    const gpureg_texture_desc desc = {.width = 16, .height = 16, .format = GPUREG_FORMAT_RGBA8_UNORM};
    uint64_t before = allocate_calls;
    for (uint32_t i = 0; i < count; i++)
        if (gpureg_texture_create(reg, &desc, &t[i]) != GPUREG_OK) bench_fail("create failed");
    uint64_t calls = allocate_calls - before;
    gpureg_stats st;
    gpureg_get_stats(reg, &st);
    *device_bytes = st.device_bytes;
    for (uint32_t i = 0; i < count; i++)
        gpureg_texture_release(reg, t[i]);
    gpureg_destroy(reg);
    free(t);
    return calls;
}

/* ---- Resident memory per live written texture (`--work rss <path> <count>`, a fresh process) --- */
static uint64_t resident_bytes(void) {
    unsigned long long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%llu %llu", &size, &resident) != 2) resident = 0;
    if (f) fclose(f);
    return resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* Create `count` 64x64 textures and write each once, recorded (frames of FRAME_UPLOADS) or through
 * gpureg's own submit; print the resident bytes they added per texture, once the GPU is done with
 * every frame, and the staging bytes gpureg then holds. */
static int work_rss(int recorded, int count) {
    device d;
    make_device(&d);
    gpureg_registry *reg = registry(&d);
    app_frames a;
    app_frames_init(&a, &d);
    gpureg_texture *t = calloc((size_t)count, sizeof *t);
    if (!t) bench_fail("out of memory");
    const gpureg_texture_desc desc = {.width = 64, .height = 64, .format = GPUREG_FORMAT_RGBA8_UNORM, .label = "bench"};
    const gpureg_texture_region all = {0};
    uint64_t before = resident_bytes();
    for (int i = 0; i < count;) {
        int s = 0;
        if (recorded) {
            s = bench_slot_wait(&a);
            if (gpureg_frame_begin(reg) != GPUREG_OK) bench_fail("gpureg_frame_begin failed");
            bench_slot_begin(&a, s);
            gpureg_vk_set_command_buffer(reg, a.cmd[s]);
        }
        for (int k = 0; k < FRAME_UPLOADS && i < count; k++, i++)
            if (gpureg_texture_create(reg, &desc, &t[i]) != GPUREG_OK ||
                gpureg_texture_write(reg, t[i], &all, pixels, sizeof pixels, 0) != GPUREG_OK)
                bench_fail("a gpureg call failed");
        if (recorded) {
            bench_slot_submit(&a, s);
            if (gpureg_vk_frame_end_fence(reg, a.fence[s]) != GPUREG_OK) bench_fail("frame end failed");
        }
    }
    gpureg_vk_set_command_buffer(reg, VK_NULL_HANDLE);
    app_frames_idle(&a);
    gpureg_collect(reg, NULL);
    uint64_t after = resident_bytes();
    printf("%.1f %llu\n", (double)(after - before) / count, (unsigned long long)staging_bytes);
    for (int i = 0; i < count; i++)
        gpureg_texture_release(reg, t[i]);
    gpureg_destroy(reg);
    app_frames_free(&a);
    free(t);
    vkDestroyDevice(d.device, NULL);
    vkDestroyInstance(d.instance, NULL);
    return 0;
}

typedef struct rss_figure {
    double bytes_per_texture;
    unsigned long long staging_bytes;
} rss_figure;

static int measure_rss(const char *self, int recorded, int count, rss_figure *out) {
    char command[4200];
    snprintf(command, sizeof command, "'%s' --work rss %s %d", self, recorded ? "recorded" : "submit", count);
    fflush(stdout);
    FILE *p = popen(command, "r");
    if (!p) return 0;
    int ok = fscanf(p, "%lf %llu", &out->bytes_per_texture, &out->staging_bytes) == 2;
    return pclose(p) == 0 && ok;
}

/* ---- Instructions per cycle under callgrind (`--work cycle <variant> <count>`) ---------------- */
static const char *const variants[] = {"raw_upload",    "gpureg_upload", "raw_create",
                                       "gpureg_create", "raw_recorded",  "gpureg_recorded"};
enum { VARIANTS = 6 };

typedef struct cycle_work {
    int variant;
    raw *r;
    gpureg_registry *reg;
    app_frames *a;
} cycle_work;

/* count cycles of the variant (recorded ones: count frames of FRAME_UPLOADS). */
static void bench_cycle_run(const cycle_work *w, int count) {
    switch (w->variant) {
    case 0:
        bench_raw_cycles(w->r, count, 1);
        break;
    case 1:
        bench_gpureg_cycles(w->reg, count, 1);
        break;
    case 2:
        bench_raw_cycles(w->r, count, 0);
        break;
    case 3:
        bench_gpureg_cycles(w->reg, count, 0);
        break;
    case 4:
        bench_raw_recorded(w->r, count);
        break;
    default:
        bench_gpureg_recorded(w->reg, w->a, count);
        break;
    }
}

/* What callgrind collects (--toggle-collect): everything this call runs on this thread. */
__attribute__((noinline)) void bench_measured_cycles(const cycle_work *w, int count);
__attribute__((noinline)) void bench_measured_cycles(const cycle_work *w, int count) { bench_cycle_run(w, count); }

static int work_cycles(const char *variant, int count) {
    cycle_work w = {.variant = -1};
    for (int v = 0; v < VARIANTS; v++)
        if (!strcmp(variant, variants[v])) w.variant = v;
    if (w.variant < 0 || count < 1) return 2;
    device d;
    make_device(&d);
    raw r;
    raw_init(&r, &d);
    app_frames a;
    app_frames_init(&a, &d);
    w.r = &r;
    w.a = &a;
    w.reg = registry(&d);
    bench_cycle_run(&w, count); /* warm-up, not collected */
    bench_measured_cycles(&w, count);
    app_frames_idle(&a);
    gpureg_destroy(w.reg);
    app_frames_free(&a);
    raw_free(&r);
    vkDestroyDevice(d.device, NULL);
    vkDestroyInstance(d.instance, NULL);
    return 0;
}

/* Instructions per cycle of each variant; whole/own -1 where callgrind is not available. */
static void count_instructions(const char *self, int quick, double whole[VARIANTS], double own[VARIANTS]) {
    const int counts[VARIANTS] = {quick ? 20 : 200, quick ? 20 : 200, quick ? 50 : 500,
                                  quick ? 50 : 500, quick ? 1 : 4,    quick ? 1 : 4};
    const char *off = getenv("GPUREG_BENCH_NO_CALLGRIND");
    for (int v = 0; v < VARIANTS; v++) {
        whole[v] = own[v] = -1;
        if (off && *off && strcmp(off, "0")) continue;
        char n[16];
        snprintf(n, sizeof n, "%d", counts[v]);
        const char *args[] = {"--work", "cycle", variants[v], n, NULL};
        bench_instructions ins;
        if (bench_callgrind(self, args, "bench_measured_cycles", &ins) != 0) {
            fprintf(stderr, "bench_vk: callgrind failed for %s (is valgrind installed?)\n", variants[v]);
            continue;
        }
        double cycles = (double)counts[v] * (v >= 4 ? FRAME_UPLOADS : 1);
        whole[v] = (double)ins.whole / cycles;
        own[v] = (double)ins.own / cycles;
    }
}

static void json_instructions(bench_json *j, const double *whole, const double *own, int raw_v, int gpureg_v) {
    if (own[gpureg_v] >= 0) bench_json_num(j, "instructions_own", own[gpureg_v]);
    if (whole[gpureg_v] >= 0) bench_json_num(j, "instructions_whole", whole[gpureg_v]);
    if (whole[raw_v] >= 0) bench_json_num(j, "raw_instructions_whole", whole[raw_v]);
}

static void print_instructions(const double *whole, const double *own, int raw_v, int gpureg_v) {
    if (whole[gpureg_v] < 0) return;
    printf("      instructions per cycle (callgrind): gpureg own %.0f, whole %.0f; raw whole %.0f\n", own[gpureg_v],
           whole[gpureg_v], whole[raw_v]);
}

static double per_write(uint64_t calls, uint64_t writes) { return writes ? (double)calls / (double)writes : 0; }

int main(int argc, char **argv) {
    for (size_t i = 0; i < sizeof pixels; i++)
        pixels[i] = (unsigned char)(i * 31u);
    if (argc == 5 && !strcmp(argv[1], "--work") && !strcmp(argv[2], "rss"))
        return work_rss(!strcmp(argv[3], "recorded"), atoi(argv[4]));
    if (argc == 5 && !strcmp(argv[1], "--work") && !strcmp(argv[2], "cycle"))
        return work_cycles(argv[3], atoi(argv[4]));
    bench_options opt;
    if (!bench_parse_options(argc, argv, "bench_vk", &opt)) return 2;
    char self[4096];
    if (!bench_self_path(self, sizeof self)) bench_fail("cannot find /proc/self/exe");
    device d;
    make_device(&d);
    raw r;
    raw_init(&r, &d);
    gpureg_registry *reg = registry(&d);
    app_frames a;
    app_frames_init(&a, &d);

    int n = opt.quick ? 200 : 2000, reps = opt.quick ? 3 : opt.reps;
    int frames = n / FRAME_UPLOADS; /* as many uploads per repetition as the submit-path cycle */
    double *ns[VARIANTS];           /* the variants above, in that order */
    for (int v = 0; v < VARIANTS; v++)
        if (!(ns[v] = calloc((size_t)reps, sizeof *ns[v]))) bench_fail("out of memory");
    bench_raw_cycles(&r, n, 1); /* warm-up */
    bench_gpureg_cycles(reg, n, 1);
    bench_raw_recorded(&r, frames);
    uint64_t warm_buffers = create_buffer_calls, warm_allocs = allocate_calls;
    bench_gpureg_recorded(reg, &a, frames);
    warm_buffers = create_buffer_calls - warm_buffers;
    warm_allocs = allocate_calls - warm_allocs;
    /* Steady-state driver calls of each gpureg path, over every measured write. */
    uint64_t submit_buffers = 0, submit_allocs = 0, recorded_buffers = 0, recorded_allocs = 0;
    for (int i = 0; i < reps; i++) {
        ns[0][i] = bench_raw_cycles(&r, n, 1);
        uint64_t b0 = create_buffer_calls, a0 = allocate_calls;
        ns[1][i] = bench_gpureg_cycles(reg, n, 1);
        submit_buffers += create_buffer_calls - b0;
        submit_allocs += allocate_calls - a0;
        ns[2][i] = bench_raw_cycles(&r, n * 10, 0);
        ns[3][i] = bench_gpureg_cycles(reg, n * 10, 0);
        ns[4][i] = bench_raw_recorded(&r, frames);
        b0 = create_buffer_calls;
        a0 = allocate_calls;
        ns[5][i] = bench_gpureg_recorded(reg, &a, frames);
        recorded_buffers += create_buffer_calls - b0;
        recorded_allocs += allocate_calls - a0;
    }
    double med[VARIANTS];
    for (int v = 0; v < VARIANTS; v++)
        med[v] = bench_median(ns[v], (size_t)reps);
    uint64_t submit_writes = (uint64_t)reps * (uint64_t)n;
    uint64_t recorded_writes = (uint64_t)reps * (uint64_t)frames * FRAME_UPLOADS;
    app_frames_idle(&a);
    gpureg_destroy(reg);
    app_frames_free(&a);
    raw_free(&r);

    uint32_t count = opt.quick ? 10000u : 100000u;
    uint64_t bytes = 0, calls = allocations_for(&d, count, &bytes);
    vkDestroyDevice(d.device, NULL);
    vkDestroyInstance(d.instance, NULL);

    const int rss_textures = 10000; /* quick too: fewer would measure the fixed staging, not a texture */
    rss_figure rss_rec = {-1, 0}, rss_sub = {-1, 0};
    if (!measure_rss(self, 1, rss_textures, &rss_rec) || !measure_rss(self, 0, rss_textures, &rss_sub))
        fprintf(stderr, "bench_vk: the resident-memory runs failed\n");
    double whole[VARIANTS], own[VARIANTS];
    count_instructions(self, opt.quick, whole, own);

    if (opt.json) {
        bench_json j;
        bench_json_begin(&j, "vk_texture_cycle", 0);
        bench_json_num(&j, "ns_per_op", med[1]);
        bench_json_num(&j, "raw_ns_per_op", med[0]);
        bench_json_num(&j, "ratio_raw", med[1] / med[0]);
        bench_json_num(&j, "create_buffer_per_write", per_write(submit_buffers, submit_writes));
        bench_json_num(&j, "allocate_memory_per_write", per_write(submit_allocs, submit_writes));
        json_instructions(&j, whole, own, 0, 1);
        bench_json_end(&j, stdout);
        bench_json_begin(&j, "vk_texture_create_cycle", 0);
        bench_json_num(&j, "ns_per_op", med[3]);
        bench_json_num(&j, "raw_ns_per_op", med[2]);
        bench_json_num(&j, "ratio_raw", med[3] / med[2]);
        json_instructions(&j, whole, own, 2, 3);
        bench_json_end(&j, stdout);
        bench_json_begin(&j, "vk_recorded_upload", 0);
        bench_json_num(&j, "ns_per_op", med[5]);
        bench_json_num(&j, "raw_ns_per_op", med[4]);
        bench_json_num(&j, "ratio_raw", med[5] / med[4]);
        bench_json_int(&j, "uploads_per_frame", FRAME_UPLOADS);
        bench_json_num(&j, "create_buffer_per_write", per_write(recorded_buffers, recorded_writes));
        bench_json_num(&j, "allocate_memory_per_write", per_write(recorded_allocs, recorded_writes));
        bench_json_int(&j, "first_frames_create_buffer", warm_buffers);
        bench_json_int(&j, "first_frames_allocate_memory", warm_allocs);
        bench_json_int(&j, "rss_textures", (uint64_t)rss_textures);
        bench_json_num(&j, "rss_bytes_per_texture", rss_rec.bytes_per_texture);
        bench_json_num(&j, "submit_rss_bytes_per_texture", rss_sub.bytes_per_texture);
        bench_json_int(&j, "staging_bytes", rss_rec.staging_bytes);
        bench_json_int(&j, "submit_staging_bytes", rss_sub.staging_bytes);
        json_instructions(&j, whole, own, 4, 5);
        bench_json_end(&j, stdout);
        bench_json_begin(&j, "vk_small_texture_allocations", count);
        bench_json_int(&j, "textures", count);
        bench_json_int(&j, "vk_allocate_memory_calls", calls);
        bench_json_int(&j, "device_bytes", bytes);
        bench_json_end(&j, stdout);
    } else {
        char machine[128];
        bench_machine_name(machine, sizeof machine);
        printf("bench_vk on %s, lavapipe: 64x64 RGBA8 create + upload + release + collect, median of %d x %d\n",
               machine, reps, n);
        printf("  raw Vulkan  %8.0f ns\n", med[0]);
        printf("  gpureg      %8.0f ns  (%.3fx raw); per write %.4f vkCreateBuffer, %.4f vkAllocateMemory\n", med[1],
               med[1] / med[0], per_write(submit_buffers, submit_writes), per_write(submit_allocs, submit_writes));
        print_instructions(whole, own, 0, 1);
        printf("  without the upload: raw %.0f ns, gpureg %.0f ns (%.3fx raw)\n", med[2], med[3], med[3] / med[2]);
        print_instructions(whole, own, 2, 3);
        printf("  recorded into the app's command buffer, frames of %d uploads, %d in flight:\n", FRAME_UPLOADS, SLOTS);
        printf("    raw Vulkan %8.0f ns per upload\n", med[4]);
        printf("    gpureg     %8.0f ns per upload (%.3fx raw); per write %.4f vkCreateBuffer, %.4f vkAllocateMemory "
               "(first %d frames: %llu, %llu)\n",
               med[5], med[5] / med[4], per_write(recorded_buffers, recorded_writes),
               per_write(recorded_allocs, recorded_writes), frames, (unsigned long long)warm_buffers,
               (unsigned long long)warm_allocs);
        print_instructions(whole, own, 4, 5);
        printf("    %d live written textures: %.0f resident bytes each recorded (%llu staging bytes), %.0f when gpureg "
               "submits (%llu staging bytes)\n",
               rss_textures, rss_rec.bytes_per_texture, rss_rec.staging_bytes, rss_sub.bytes_per_texture,
               rss_sub.staging_bytes);
        printf("  %u live 16x16 RGBA8 textures: %llu vkAllocateMemory calls, %llu device bytes\n", count,
               (unsigned long long)calls, (unsigned long long)bytes);
    }
    for (int v = 0; v < VARIANTS; v++)
        free(ns[v]);
    return 0;
}
