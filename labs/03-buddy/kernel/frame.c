// frame.c: physical frames from the buddy allocator.
//
// At boot, the usable ranges (physmem.c: available memory less the kernel,
// the boot information, the modules and the first MiB) are added to one
// buddy allocator, each split into its largest aligned blocks: boot work
// grows with the number of ranges, not with the amount of memory. The
// allocator's metadata (a record per block, at most one per frame) is cut
// from the top of a usable range below 4 GiB, where boot.asm's direct map
// reaches before kvm_init builds the full one. For the same reason memory
// above 4 GiB joins only after kvm_init (frame_add_high_memory): until
// then every frame handed out, kvm_init's page tables among them, can be
// cleared through the boot direct map.
#include "frame.h"
#include "failalloc.h"
#include "kprintf.h"
#include "memlayout.h"
#include "panic.h"
#include "physmem.h"

#define BOOT_DIRECT_MAP_END (4ul << 30)  // what boot.asm maps at DIRECT_MAP

static struct buddy frames;
static uint64_t metadata_start, metadata_end;
static struct phys_range high[PHYSMEM_MAX_RANGES];  // above 4 GiB, added later
static int nhigh;

// Take `bytes` for the metadata from the top of the highest range that can
// hold them below 4 GiB. The range shrinks; one that crosses 4 GiB is split
// in two, its part above 4 GiB becoming a new range. Returns the physical
// start of the metadata, or 0.
static uint64_t carve_metadata(struct phys_range *ranges, int *n, uint64_t bytes) {
    for (int i = *n - 1; i >= 0; i--) {
        uint64_t top = ranges[i].end < BOOT_DIRECT_MAP_END ? ranges[i].end : BOOT_DIRECT_MAP_END;
        if (top <= ranges[i].start || top - ranges[i].start < bytes)
            continue;
        if (ranges[i].end > top) {
            if (*n == PHYSMEM_MAX_RANGES)
                continue;
            ranges[(*n)++] = (struct phys_range){top, ranges[i].end};
        }
        ranges[i].end = top - bytes;
        return top - bytes;
    }
    return 0;
}

static void add_or_panic(struct phys_range r) {
    int err = r.start < r.end ? buddy_add_range(&frames, r.start, r.end) : 0;
    if (err)
        panic("frame: cannot add %p-%p: %s", (void *)r.start, (void *)r.end,
              buddy_error_string(err));
}

void frame_init(void) {
    struct phys_range ranges[PHYSMEM_MAX_RANGES];
    int n = physmem_usable_ranges(ranges, PHYSMEM_MAX_RANGES);
    uint64_t pages = 0;
    for (int i = 0; i < n; i++)
        pages += (ranges[i].end - ranges[i].start) / PAGE_SIZE;
    // One record per frame (every frame allocated alone), plus the blocks
    // the ranges are split into.
    uint32_t max_blocks = pages + 64 + (uint32_t)n * 2 * FRAME_MAX_ORDER;
    uint64_t bytes = (buddy_metadata_size(max_blocks) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    metadata_start = carve_metadata(ranges, &n, bytes);
    if (!metadata_start)
        panic("frame: no room below 4 GiB for %lu KiB of allocator metadata", bytes >> 10);
    metadata_end = metadata_start + bytes;
    buddy_init(&frames, "frames", 12, FRAME_MAX_ORDER, phys_to_virt(metadata_start), bytes);
    for (int i = 0; i < n; i++) {
        struct phys_range r = ranges[i];
        if (r.end > BOOT_DIRECT_MAP_END) {  // keep the high part for later
            uint64_t split = r.start > BOOT_DIRECT_MAP_END ? r.start : BOOT_DIRECT_MAP_END;
            high[nhigh++] = (struct phys_range){split, r.end};
            r.end = split;
        }
        add_or_panic(r);
    }
    kprintf("frame: %lu KiB free in the buddy allocator, %lu KiB of metadata\n",
            frames.free_units * 4, bytes >> 10);
}

// Memory above 4 GiB, once kvm_init has mapped all of it.
void frame_add_high_memory(void) {
    for (int i = 0; i < nhigh; i++)
        add_or_panic(high[i]);
}

uint64_t frame_alloc_order(int order) {
    uint64_t pa;
    if (failalloc("frame"))
        return 0;
    return buddy_alloc(&frames, order, &pa) == 0 ? pa : 0;
}

int frame_free_order(uint64_t pa, int order) { return buddy_free(&frames, pa, order); }

uint64_t frame_alloc(void) { return frame_alloc_order(0); }

void frame_free(uint64_t pa) {
    int err = frame_free_order(pa, 0);
    if (err)
        panic("frame_free(%p): %s", (void *)pa, buddy_error_string(err));
}

uint64_t frame_free_count(void) { return frames.free_units; }
const struct buddy *frame_buddy(void) { return &frames; }
uint64_t frame_metadata_bytes(void) { return metadata_end - metadata_start; }
