// vregion.c: the virtual-region allocator: the second use of buddy.c.
//
// It manages [VREGION_START, VREGION_END): the whole lower half but its
// first 4 MiB, split into the largest aligned blocks (4 MiB at 4 MiB,
// 8 MiB at 8 MiB, ..., 64 TiB at 64 TiB). No memory stands behind these
// addresses: the allocator only keeps records, in an array of its own.
// Records are what limits it: VREGION_MAX_BLOCKS regions and free pieces
// at once, plenty for a teaching kernel (the limit is an error, not a crash).
#include "vregion.h"
#include "buddy.h"
#include "failalloc.h"
#include "memlayout.h"
#include "panic.h"

#define VREGION_MAX_BLOCKS 16384  // a power of two: see metadata[] below
#define VREGION_MAX_ORDER  35     // 2^35 pages: 128 TiB

static struct buddy regions;
// buddy_metadata_size(VREGION_MAX_BLOCKS): a record and a 4-byte index
// bucket per block. In .bss, so the region allocator needs no frames.
static uint64_t metadata[VREGION_MAX_BLOCKS * (sizeof(struct buddy_record) + 4) / 8];

void vregion_init(void) {
    if (buddy_metadata_size(VREGION_MAX_BLOCKS) > sizeof metadata)
        panic("vregion: metadata[] is smaller than buddy_metadata_size says");
    buddy_init(&regions, "regions", 12, VREGION_MAX_ORDER, metadata, sizeof metadata);
    int err = buddy_add_range(&regions, VREGION_START, VREGION_END);
    if (err)
        panic("vregion: %s", buddy_error_string(err));
}

// The order of the smallest block of at least len bytes, or -1.
static int order_for(uint64_t len) {
    // LAB 3: BEGIN SOLUTION
    if (len == 0 || len > (PAGE_SIZE << VREGION_MAX_ORDER))
        return -1;
    int order = 0;
    while ((PAGE_SIZE << order) < len)
        order++;
    return order;
    // LAB 3: END SOLUTION
    // LAB 3: STUB /* lab 3: order_for not written yet: one page only */
    // LAB 3: STUB return len == PAGE_SIZE ? 0 : -1;
}

static uint64_t in_use;  // regions allocated and not yet freed

int vregion_alloc(uint64_t len, uint64_t *va) {
    if (failalloc("region"))
        return BUDDY_ERR_NO_MEMORY;
    // LAB 3: BEGIN SOLUTION
    int order = order_for(len);
    int err = order < 0 ? BUDDY_ERR_ORDER : buddy_alloc(&regions, order, va);
    in_use += err == 0;
    return err;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)len, (void)va;
    // LAB 3: STUB return BUDDY_ERR_NO_MEMORY;   /* lab 3: vregion_alloc not written yet */
}

int vregion_free(uint64_t va, uint64_t len) {
    // LAB 3: BEGIN SOLUTION
    int order = order_for(len);
    int err = order < 0 ? BUDDY_ERR_ORDER : buddy_free(&regions, va, order);
    in_use -= err == 0;
    return err;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)va, (void)len;
    // LAB 3: STUB return BUDDY_ERR_NOT_ALLOCATED;   /* lab 3: vregion_free not written yet */
}

uint64_t vregion_count(void) { return in_use; }

uint64_t vregion_size(uint64_t len) {
    int order = order_for(len);
    return order < 0 ? 0 : PAGE_SIZE << order;
}

uint64_t vregion_free_bytes(void) { return regions.free_units * PAGE_SIZE; }
const struct buddy *vregion_buddy(void) { return &regions; }
