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
 * shows the registry's own cost. Then the number of vkAllocateMemory calls (counted by a vkGetInstanceProcAddr wrapper,
 * not by gpureg) for 100,000 live 16x16 RGBA8 textures. Each figure is the median over --reps repetitions of N cycles,
 * variants interleaved.
 */
#include "bench_util.h"

#include <gpureg/gpureg_vk.h>

#include <stdlib.h>
#include <string.h>

static void fail(const char *what) {
    fprintf(stderr, "bench_vk: %s (install mesa-vulkan-drivers)\n", what);
    exit(3);
}

static void check(VkResult vr, const char *what) {
    if (vr != VK_SUCCESS) fail(what);
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
    check(vkCreateInstance(&ici, NULL, &d->instance), "no Vulkan instance");
    uint32_t n = 1;
    VkResult vr = vkEnumeratePhysicalDevices(d->instance, &n, &d->physical);
    if ((vr != VK_SUCCESS && vr != VK_INCOMPLETE) || !n) fail("no Vulkan device");
    VkQueueFamilyProperties qp[8];
    uint32_t qn = 8;
    vkGetPhysicalDeviceQueueFamilyProperties(d->physical, &qn, qp);
    d->family = 0;
    while (d->family < qn && !(qp[d->family].queueFlags & VK_QUEUE_GRAPHICS_BIT))
        d->family++;
    if (d->family == qn) fail("no graphics queue");
    float prio = 1;
    VkDeviceQueueCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                   .queueFamilyIndex = d->family,
                                   .queueCount = 1,
                                   .pQueuePriorities = &prio};
    VkDeviceCreateInfo dci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, .queueCreateInfoCount = 1, .pQueueCreateInfos = &qci};
    check(vkCreateDevice(d->physical, &dci, NULL, &d->device), "vkCreateDevice");
    vkGetDeviceQueue(d->device, d->family, 0, &d->queue);
}

/* ---- Counting vkAllocateMemory ---------------------------------------------------------------- */
static uint64_t allocate_calls;
static VkResult VKAPI_PTR counting_allocate(VkDevice dev, const VkMemoryAllocateInfo *ai,
                                            const VkAllocationCallbacks *cb, VkDeviceMemory *out) {
    allocate_calls++;
    return vkAllocateMemory(dev, ai, cb, out);
}
static PFN_vkVoidFunction VKAPI_PTR counting_gdpa(VkDevice dev, const char *name) {
    if (!strcmp(name, "vkAllocateMemory")) return (PFN_vkVoidFunction)counting_allocate;
    return vkGetDeviceProcAddr(dev, name);
}
static PFN_vkVoidFunction VKAPI_PTR counting_gipa(VkInstance inst, const char *name) {
    if (!strcmp(name, "vkGetDeviceProcAddr")) return (PFN_vkVoidFunction)counting_gdpa;
    return vkGetInstanceProcAddr(inst, name);
}

/* ---- Raw Vulkan, same memory strategy ---------------------------------------------------------- */
typedef struct raw {
    device *d;
    VkDeviceMemory block, staging_mem;
    VkBuffer staging;
    void *mapped;
    VkCommandPool pool;
    VkCommandBuffer cmd;
    VkFence fence;
} raw;

static uint32_t memory_type(device *d, uint32_t bits, VkMemoryPropertyFlags flags) {
    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(d->physical, &mp);
    for (uint32_t i = 0; i < mp.memoryTypeCount; i++)
        if ((bits & (1u << i)) && (mp.memoryTypes[i].propertyFlags & flags) == flags) return i;
    fail("no memory type");
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
    check(vkCreateImage(d->device, &image_info, NULL, &probe), "vkCreateImage");
    VkMemoryRequirements req;
    vkGetImageMemoryRequirements(d->device, probe, &req);
    vkDestroyImage(d->device, probe, NULL);
    VkMemoryAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
                               .allocationSize = 64u << 20,
                               .memoryTypeIndex = memory_type(d, req.memoryTypeBits, 0)};
    check(vkAllocateMemory(d->device, &ai, NULL, &r->block), "vkAllocateMemory");
    VkBufferCreateInfo bi = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, .size = 1u << 20, .usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT};
    check(vkCreateBuffer(d->device, &bi, NULL, &r->staging), "vkCreateBuffer");
    vkGetBufferMemoryRequirements(d->device, r->staging, &req);
    ai.allocationSize = req.size;
    ai.memoryTypeIndex =
        memory_type(d, req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
    check(vkAllocateMemory(d->device, &ai, NULL, &r->staging_mem), "vkAllocateMemory");
    check(vkBindBufferMemory(d->device, r->staging, r->staging_mem, 0), "vkBindBufferMemory");
    check(vkMapMemory(d->device, r->staging_mem, 0, VK_WHOLE_SIZE, 0, &r->mapped), "vkMapMemory");
    VkCommandPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                  .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT |
                                           VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
                                  .queueFamilyIndex = d->family};
    check(vkCreateCommandPool(d->device, &pi, NULL, &r->pool), "vkCreateCommandPool");
    VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                       .commandPool = r->pool,
                                       .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                       .commandBufferCount = 1};
    check(vkAllocateCommandBuffers(d->device, &cai, &r->cmd), "vkAllocateCommandBuffers");
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    check(vkCreateFence(d->device, &fi, NULL, &r->fence), "vkCreateFence");
}

static void raw_free(raw *r) {
    VkDevice dev = r->d->device;
    vkDestroyFence(dev, r->fence, NULL);
    vkDestroyCommandPool(dev, r->pool, NULL);
    vkDestroyBuffer(dev, r->staging, NULL);
    vkFreeMemory(dev, r->staging_mem, NULL);
    vkFreeMemory(dev, r->block, NULL);
}

static unsigned char pixels[64 * 64 * 4];

static void barrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to, int into) {
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

static double raw_cycles(raw *r, int n, int upload) {
    VkDevice dev = r->d->device;
    uint64_t start = bench_now_ns();
    for (int i = 0; i < n; i++) {
        VkImage image;
        VkImageView view;
        check(vkCreateImage(dev, &image_info, NULL, &image), "vkCreateImage");
        VkMemoryRequirements req;
        vkGetImageMemoryRequirements(dev, image, &req);
        check(vkBindImageMemory(dev, image, r->block, 0), "vkBindImageMemory");
        VkImageViewCreateInfo vi = {.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
                                    .image = image,
                                    .viewType = VK_IMAGE_VIEW_TYPE_2D,
                                    .format = VK_FORMAT_R8G8B8A8_UNORM,
                                    .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1}};
        check(vkCreateImageView(dev, &vi, NULL, &view), "vkCreateImageView");
        if (!upload) {
            vkDestroyImageView(dev, view, NULL);
            vkDestroyImage(dev, image, NULL);
            continue;
        }
        memcpy(r->mapped, pixels, sizeof pixels);
        VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                       .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
        check(vkBeginCommandBuffer(r->cmd, &bi), "vkBeginCommandBuffer");
        barrier(r->cmd, image, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1);
        VkBufferImageCopy copy = {.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1}, .imageExtent = {64, 64, 1}};
        vkCmdCopyBufferToImage(r->cmd, r->staging, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &copy);
        barrier(r->cmd, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, 0);
        check(vkEndCommandBuffer(r->cmd), "vkEndCommandBuffer");
        VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &r->cmd};
        check(vkQueueSubmit(r->d->queue, 1, &si, r->fence), "vkQueueSubmit");
        check(vkWaitForFences(dev, 1, &r->fence, VK_TRUE, UINT64_MAX), "vkWaitForFences");
        check(vkResetFences(dev, 1, &r->fence), "vkResetFences");
        vkResetCommandBuffer(r->cmd, 0);
        vkDestroyImageView(dev, view, NULL);
        vkDestroyImage(dev, image, NULL);
    }
    return (double)(bench_now_ns() - start) / n;
}

static double gpureg_cycles(gpureg_registry *reg, int n, int upload) {
    double ns = bench_gpureg_texture_cycles(reg, n, upload ? pixels : NULL, sizeof pixels);
    if (ns < 0) fail("a gpureg call failed");
    return ns;
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
    if (gpureg_vk_create(&vk, &rd, &reg) != GPUREG_OK) fail("gpureg_vk_create failed");
    return reg;
}

/* vkAllocateMemory calls for `count` live small textures, and the bytes they span. */
static uint64_t allocations_for(device *d, uint32_t count, uint64_t *device_bytes) {
    gpureg_registry *reg = registry(d);
    gpureg_texture *t = malloc(count * sizeof *t);
    if (!t) fail("out of memory");
    const gpureg_texture_desc desc = {.width = 16, .height = 16, .format = GPUREG_FORMAT_RGBA8_UNORM};
    uint64_t before = allocate_calls;
    for (uint32_t i = 0; i < count; i++)
        if (gpureg_texture_create(reg, &desc, &t[i]) != GPUREG_OK) fail("create failed");
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

int main(int argc, char **argv) {
    bench_options opt;
    if (!bench_parse_options(argc, argv, "bench_vk", &opt)) return 2;
    device d;
    make_device(&d);
    for (size_t i = 0; i < sizeof pixels; i++)
        pixels[i] = (unsigned char)(i * 31u);
    raw r;
    raw_init(&r, &d);
    gpureg_registry *reg = registry(&d);

    int n = opt.quick ? 200 : 2000, reps = opt.quick ? 3 : opt.reps;
    double *ns[4]; /* raw and gpureg, with and without the upload */
    for (int v = 0; v < 4; v++)
        if (!(ns[v] = calloc((size_t)reps, sizeof *ns[v]))) fail("out of memory");
    raw_cycles(&r, n, 1); /* warm-up */
    gpureg_cycles(reg, n, 1);
    for (int i = 0; i < reps; i++) {
        ns[0][i] = raw_cycles(&r, n, 1);
        ns[1][i] = gpureg_cycles(reg, n, 1);
        ns[2][i] = raw_cycles(&r, n * 10, 0);
        ns[3][i] = gpureg_cycles(reg, n * 10, 0);
    }
    double med[4];
    for (int v = 0; v < 4; v++)
        med[v] = bench_median(ns[v], (size_t)reps);
    double raw_med = med[0], reg_med = med[1];
    gpureg_destroy(reg);
    raw_free(&r);

    uint32_t count = opt.quick ? 10000u : 100000u;
    uint64_t bytes = 0, calls = allocations_for(&d, count, &bytes);
    if (opt.json) {
        bench_json j;
        bench_json_begin(&j, "vk_texture_cycle", 0);
        bench_json_num(&j, "ns_per_op", reg_med);
        bench_json_num(&j, "raw_ns_per_op", raw_med);
        bench_json_num(&j, "ratio_raw", reg_med / raw_med);
        bench_json_end(&j, stdout);
        bench_json_begin(&j, "vk_texture_create_cycle", 0);
        bench_json_num(&j, "ns_per_op", med[3]);
        bench_json_num(&j, "raw_ns_per_op", med[2]);
        bench_json_num(&j, "ratio_raw", med[3] / med[2]);
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
        printf("  raw Vulkan  %8.0f ns\n", raw_med);
        printf("  gpureg      %8.0f ns  (%.3fx raw)\n", reg_med, reg_med / raw_med);
        printf("  without the upload: raw %.0f ns, gpureg %.0f ns (%.3fx raw)\n", med[2], med[3], med[3] / med[2]);
        printf("  %u live 16x16 RGBA8 textures: %llu vkAllocateMemory calls, %llu device bytes\n", count,
               (unsigned long long)calls, (unsigned long long)bytes);
    }
    vkDestroyDevice(d.device, NULL);
    vkDestroyInstance(d.instance, NULL);
    for (int v = 0; v < 4; v++)
        free(ns[v]);
    return 0;
}
