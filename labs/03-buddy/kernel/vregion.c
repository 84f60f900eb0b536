// vregion.c: the virtual-region allocator: the second use of buddy.c.
//
// It manages [VREGION_START, VREGION_END): the whole lower half but its
// first 4 MiB, split into the largest aligned blocks (4 MiB at 4 MiB,
// 8 MiB at 8 MiB, ..., 64 TiB at 64 TiB). No memory stands behind these
// addresses: the allocator only keeps records, in a few frames of its own.
// Records are what limits it: VREGION_MAX_BLOCKS regions and free pieces
// at once, plenty for a teaching kernel (the limit is an error, not a crash).
#include "vregion.h"
#include "buddy.h"
#include "frame.h"
#include "kprintf.h"
#include "memlayout.h"
#include "panic.h"

#define VREGION_MAX_BLOCKS 16384
#define VREGION_MAX_ORDER  35  // 2^35 pages: 128 TiB

static struct buddy regions;

void vregion_init(void) {
    size_t bytes = buddy_metadata_size(VREGION_MAX_BLOCKS);
    int order = 0;
    while ((PAGE_SIZE << order) < bytes)
        order++;
    uint64_t pa = frame_alloc_order(order);
    if (!pa)
        panic("vregion: no memory for %lu KiB of region records", bytes >> 10);
    buddy_init(&regions, "regions", 12, VREGION_MAX_ORDER, phys_to_virt(pa), PAGE_SIZE << order);
    int err = buddy_add_range(&regions, VREGION_START, VREGION_END);
    if (err)
        panic("vregion: %s", buddy_error_string(err));
}

// The order of the smallest block of at least len bytes, or -1.
static int order_for(uint64_t len) {
    if (len == 0 || len > (PAGE_SIZE << VREGION_MAX_ORDER))
        return -1;
    int order = 0;
    while ((PAGE_SIZE << order) < len)
        order++;
    return order;
}

static uint64_t in_use;  // regions allocated and not yet freed

int vregion_alloc(uint64_t len, uint64_t *va) {
    int order = order_for(len);
    int err = order < 0 ? BUDDY_ERR_ORDER : buddy_alloc(&regions, order, va);
    in_use += err == 0;
    return err;
}

int vregion_free(uint64_t va, uint64_t len) {
    int order = order_for(len);
    int err = order < 0 ? BUDDY_ERR_ORDER : buddy_free(&regions, va, order);
    in_use -= err == 0;
    return err;
}

uint64_t vregion_count(void) { return in_use; }

uint64_t vregion_size(uint64_t len) {
    int order = order_for(len);
    return order < 0 ? 0 : PAGE_SIZE << order;
}

uint64_t vregion_free_bytes(void) { return regions.free_units * PAGE_SIZE; }
const struct buddy *vregion_buddy(void) { return &regions; }
