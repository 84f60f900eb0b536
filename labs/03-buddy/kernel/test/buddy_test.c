// buddy_test.c: the buddy allocator, on private instances (addresses with
// no memory behind them: the allocator never touches what it manages) and
// on the real frame allocator.
#include "buddy.h"
#include "frame.h"
#include "ktest.h"
#include "memlayout.h"
#include "multiboot2.h"
#include "physmem.h"
#include "string.h"

#define UNIT 4096ul
static struct buddy b;
static uint64_t metadata[(4200 * 24 + 8192 * 4) / 8 + 1];

static void fresh(int max_order) {
    memset(metadata, 0xA5, sizeof metadata);  // init must not need zeroes
    buddy_init(&b, "test", 12, max_order, metadata, sizeof metadata);
}

static void expect_consistent(void) {
    const char *why = NULL;
    EXPECT_EQ(buddy_check(&b, &why), 0);
    if (why)
        ktest_fail(__FILE__, __LINE__, "buddy_check: %s", why);
}

KTEST(buddy, split_and_coalesce) {
    fresh(10);
    ASSERT_EQ(buddy_add_range(&b, 0, 16 * UNIT), 0);
    EXPECT_EQ(b.free_blocks[4], 1);
    uint64_t a;
    ASSERT_EQ(buddy_alloc(&b, 0, &a), 0);
    EXPECT_EQ(a, 0);
    for (int k = 0; k < 4; k++)
        EXPECT_EQ(b.free_blocks[k], 1);  // a buddy left at each order
    EXPECT_EQ(buddy_free(&b, a, 0), 0);
    EXPECT_EQ(b.free_blocks[4], 1);  // merged all the way back
    EXPECT_EQ(b.free_blocks[0], 0);
    expect_consistent();
}

KTEST(buddy, unaligned_range_becomes_largest_blocks) {
    fresh(10);
    ASSERT_EQ(buddy_add_range(&b, 3 * UNIT, 37 * UNIT + 5), 0);
    // 3 | 4-7 | 8-15 | 16-31 | 32-35 | 36
    EXPECT_EQ(b.free_blocks[0], 2);
    EXPECT_EQ(b.free_blocks[2], 2);
    EXPECT_EQ(b.free_blocks[3], 1);
    EXPECT_EQ(b.free_blocks[4], 1);
    EXPECT_EQ(b.free_units, 34);
    EXPECT_EQ(buddy_add_range(&b, 8 * UNIT, 9 * UNIT), BUDDY_ERR_OVERLAP);
    expect_consistent();
}

KTEST(buddy, every_unit_then_all_back) {
    fresh(12);
    ASSERT_EQ(buddy_add_range(&b, 0, 4096 * UNIT), 0);
    uint64_t before[BUDDY_MAX_ORDER + 1], a;
    memcpy(before, b.free_blocks, sizeof before);
    int taken = 0;
    while (buddy_alloc(&b, 0, &a) == 0)
        taken++;
    EXPECT_EQ(taken, 4096);
    EXPECT_EQ(buddy_alloc(&b, 0, &a), BUDDY_ERR_NO_MEMORY);
    for (uint64_t u = 0; u < 4096; u += 2)  // free in a scattered order
        EXPECT_EQ(buddy_free(&b, u * UNIT, 0), 0);
    for (uint64_t u = 1; u < 4096; u += 2)
        EXPECT_EQ(buddy_free(&b, u * UNIT, 0), 0);
    EXPECT_EQ(memcmp(before, b.free_blocks, sizeof before), 0);
    EXPECT_EQ(b.free_blocks[12], 1);
    expect_consistent();
}

KTEST(buddy, bad_frees_are_detected) {
    fresh(10);
    ASSERT_EQ(buddy_add_range(&b, 0, 1024 * UNIT), 0);
    uint64_t a;
    ASSERT_EQ(buddy_alloc(&b, 2, &a), 0);
    EXPECT_EQ(buddy_free(&b, a, 1), BUDDY_ERR_WRONG_ORDER);
    EXPECT_EQ(buddy_free(&b, a + UNIT, 0), BUDDY_ERR_NOT_ALLOCATED);
    EXPECT_EQ(buddy_free(&b, a + 1, 2), BUDDY_ERR_ALIGN);
    EXPECT_EQ(buddy_free(&b, a, 2), 0);
    EXPECT_EQ(buddy_free(&b, a, 2), BUDDY_ERR_DOUBLE_FREE);
    EXPECT_EQ(buddy_alloc(&b, 11, &a), BUDDY_ERR_ORDER);
    expect_consistent();
}

KTEST(buddy, exhaustion_is_an_error) {
    fresh(10);
    ASSERT_EQ(buddy_add_range(&b, 0, 1024 * UNIT), 0);
    uint64_t a, c;
    ASSERT_EQ(buddy_alloc(&b, 10, &a), 0);
    EXPECT_EQ(buddy_alloc(&b, 0, &c), BUDDY_ERR_NO_MEMORY);
    EXPECT_EQ(buddy_free(&b, a, 10), 0);
    EXPECT_EQ(buddy_alloc(&b, 10, &a), 0);  // whole again: merged
}

KTEST(buddy, check_notices_corruption) {
    fresh(10);
    ASSERT_EQ(buddy_add_range(&b, 0, 64 * UNIT), 0);
    uint64_t a;
    ASSERT_EQ(buddy_alloc(&b, 0, &a), 0);
    const char *why = NULL;
    b.free_blocks[3]++;
    EXPECT_EQ(buddy_check(&b, &why), -1);
    EXPECT_TRUE(why != NULL);
    b.free_blocks[3]--;
    expect_consistent();
}

// The real frames: take every frame, largest blocks first (fast at any
// memory size), keeping the list in the frames themselves; give all back.
KTEST(buddy, every_frame_then_all_back) {
    const struct buddy *frames = frame_buddy();
    uint64_t before[BUDDY_MAX_ORDER + 1], chain = 0, pa, free_before = frames->free_units;
    memcpy(before, frames->free_blocks, sizeof before);
    for (int order = FRAME_MAX_ORDER; order >= 0; order--)
        while ((pa = frame_alloc_order(order)) != 0) {
            uint64_t *link = phys_to_virt(pa);
            link[0] = chain;
            link[1] = order;
            chain = pa;
        }
    EXPECT_EQ(frames->free_units, 0);
    EXPECT_EQ(frame_alloc(), 0);
    while (chain) {
        uint64_t *link = phys_to_virt(chain), next = link[0];
        EXPECT_EQ(frame_free_order(chain, link[1]), 0);
        chain = next;
    }
    EXPECT_EQ(frames->free_units, free_before);
    EXPECT_EQ(memcmp(before, frames->free_blocks, sizeof before), 0);
    const char *why = NULL;
    EXPECT_EQ(buddy_check(frames, &why), 0);
}

KTEST(buddy, frame_errors_are_returned) {
    uint64_t pa = frame_alloc_order(3);
    ASSERT_TRUE(pa != 0);
    EXPECT_EQ(frame_free_order(pa, 2), BUDDY_ERR_WRONG_ORDER);
    EXPECT_EQ(frame_free_order(pa, 3), 0);
    EXPECT_EQ(frame_free_order(pa, 3), BUDDY_ERR_DOUBLE_FREE);
    EXPECT_EQ(frame_free_order((uint64_t)_kernel_phys_start, 0), BUDDY_ERR_NOT_ALLOCATED);
}

// The mem: line counts all available memory; the buddy holds the usable
// ranges (physmem.c: available memory less the first MiB, the kernel, the
// boot information and the modules), its own metadata carved out of them.
// Summed per range, not per frame: the same at 4 GiB as at 128 MiB.
KTEST(buddy, mem_line_agrees_with_the_buddy) {
    static struct phys_range ranges[PHYSMEM_MAX_RANGES];
    int n = physmem_usable_ranges(ranges, PHYSMEM_MAX_RANGES);
    uint64_t usable = 0, available = 0;
    for (int i = 0; i < n; i++)
        usable += ranges[i].end - ranges[i].start;
    for (int i = 0; i < bootinfo.nregions; i++)
        if (bootinfo.regions[i].type == MEM_AVAILABLE)
            available += bootinfo.regions[i].length;
    const struct buddy *frames = frame_buddy();
    uint64_t managed = (frames->free_units + frames->used_units) * UNIT + frame_metadata_bytes();
    EXPECT_EQ(managed, usable);
    EXPECT_EQ(available, bootinfo.usable_bytes);
    // What is reserved holds at least the kernel's image and the modules.
    uint64_t at_least = (uint64_t)_kernel_phys_end - (uint64_t)_kernel_phys_start;
    for (int i = 0; i < bootinfo.nmodules; i++)
        at_least += bootinfo.modules[i].end - bootinfo.modules[i].start;
    EXPECT_TRUE(available - usable >= at_least);
}

// A range larger than 2^max_order units becomes several blocks of the top
// order, and they must stay that way: merging stops at max_order.
KTEST(buddy, merging_stops_at_the_top_order) {
    fresh(2);
    ASSERT_EQ(buddy_add_range(&b, 0, 16 * UNIT), 0);
    EXPECT_EQ(b.free_blocks[2], 4);
    EXPECT_EQ(b.free_blocks[3], 0);
    uint64_t a;
    ASSERT_EQ(buddy_alloc(&b, 0, &a), 0);
    EXPECT_EQ(buddy_free(&b, a, 0), 0);
    EXPECT_EQ(b.free_blocks[2], 4);
    EXPECT_EQ(b.free_blocks[3], 0);
    EXPECT_EQ(buddy_alloc(&b, 3, &a), BUDDY_ERR_ORDER);
    expect_consistent();
}

// Metadata for 4 blocks: a split that needs more records is refused with
// an error, and nothing past the metadata is written.
static struct {
    uint64_t records[64];
    uint64_t canary[8];
} small_metadata;

KTEST(buddy, running_out_of_records_is_an_error) {
    size_t bytes = buddy_metadata_size(4);
    ASSERT_TRUE(bytes <= sizeof small_metadata.records);
    memset(&small_metadata, 0x5A, sizeof small_metadata);
    buddy_init(&b, "small", 12, 10, small_metadata.records, bytes);
    ASSERT_EQ(buddy_add_range(&b, 0, 1024 * UNIT), 0);
    uint64_t a, c;
    EXPECT_EQ(buddy_alloc(&b, 0, &a), BUDDY_ERR_NO_RECORDS);  // needs 10 splits
    EXPECT_EQ(b.free_blocks[10], 1);                          // nothing changed
    ASSERT_EQ(buddy_alloc(&b, 8, &a), 0);                     // 2 splits: 3 records
    EXPECT_EQ(buddy_alloc(&b, 8, &c), 0);
    EXPECT_EQ(buddy_alloc(&b, 0, &c), BUDDY_ERR_NO_RECORDS);
    EXPECT_EQ(buddy_free(&b, a, 8), 0);
    expect_consistent();
    for (int i = 0; i < 8; i++)
        EXPECT_EQ(small_metadata.canary[i], 0x5A5A5A5A5A5A5A5Aull);
    // The records beyond `bytes` in records[] are the caller's too.
    for (size_t i = (bytes + 7) / 8; i < 64; i++)
        EXPECT_EQ(small_metadata.records[i], 0x5A5A5A5A5A5A5A5Aull);
}
