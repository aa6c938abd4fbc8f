/* fastpath.c — gpureg_fastpath_export: the registry's hot-path memory as the public contract
 * (gpureg_fastpath.h) describes it, for readers in another language. */
#include "formats.h"
#include "registry.h"

_Static_assert(offsetof(gpureg__release_shard, inbox) == GPUREG_FP_SHARD_INBOX &&
                   offsetof(gpureg__release_shard, count) == GPUREG_FP_SHARD_COUNT &&
                   offsetof(gpureg__release_shard, bytes) == GPUREG_FP_SHARD_BYTES,
               "a release shard is laid out as the fast-path contract says");
_Static_assert(POOL_SEGMENT_SHIFT == GPUREG_FP_SEGMENT_SHIFT && POOL_INFO_OFFSET == GPUREG_FP_INFO_OFFSET,
               "segments are laid out as the fast-path contract says");

gpureg_result gpureg_fastpath_export(const gpureg_registry *reg, gpureg_fastpath *out) {
    if (!reg) return GPUREG_ERR_NULL_POINTER;
    if (!out) return gpureg__fail(reg, GPUREG_ERR_NULL_POINTER, "gpureg_fastpath_export: out is NULL");
    *out = (gpureg_fastpath){
        .version = GPUREG_FASTPATH_VERSION,
        .size = (uint32_t)sizeof *out,
        .tag = reg->tag,
        .segment_shift = POOL_SEGMENT_SHIFT,
        .segment_count = POOL_SEGMENTS,
        .segment_base_offset = (uint32_t)offsetof(gpureg__segment, base),
        .segment_committed_offset = (uint32_t)offsetof(gpureg__segment, committed),
        .links_offset = (uint32_t)POOL_LINKS_OFFSET,
        .release_shard_count = RETIRE_SHARDS,
        .release_shard_size = (uint32_t)sizeof(gpureg__release_shard),
        .alive_key = (const volatile uint64_t *)(const void *)&reg->alive_key,
        .segment0_base = reg->pool.segment0.base,
        .segment0_committed = (const volatile uint32_t *)(const void *)&reg->pool.segment0.committed,
        .directory = (void *const volatile *)(const void *)&reg->pool.directory,
        .release_shards = (void *)(uintptr_t)reg->retire.shards,
        .next_shard = (volatile uint32_t *)(void *)(uintptr_t)&reg->retire.next_shard,
        .texel_bytes = format_texel_bytes,
        .segment0_cold = (void *const volatile *)(const void *)reg->pool.segment0.cold,
        .cold_block_shift = POOL_BLOCK_SHIFT,
        .cold_record_size = (uint32_t)sizeof(gpureg__cold),
        .cold_aux_offset = (uint32_t)offsetof(gpureg__cold, aux),
    };
    return GPUREG_OK;
}
