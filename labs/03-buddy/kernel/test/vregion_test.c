// vregion_test.c: regions of the single address space.
#include "buddy.h"
#include "frame.h"
#include "ktest.h"
#include "memlayout.h"
#include "paging.h"
#include "vregion.h"

KTEST(vregion, regions_are_aligned_disjoint_and_in_range) {
    uint64_t va[8], len[8];
    for (int i = 0; i < 8; i++) {
        len[i] = PAGE_SIZE << (3 * i);  // 4 KiB .. 8 GiB
        ASSERT_EQ(vregion_alloc(len[i], &va[i]), 0);
        EXPECT_EQ(va[i] % len[i], 0);  // buddy-aligned
        EXPECT_TRUE(va[i] >= VREGION_START && va[i] + len[i] <= VREGION_END);
    }
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < i; j++)
            EXPECT_TRUE(va[i] + len[i] <= va[j] || va[j] + len[j] <= va[i]);
    for (int i = 0; i < 8; i++)
        EXPECT_EQ(vregion_free(va[i], len[i]), 0);
}

KTEST(vregion, lengths_round_up_to_a_power_of_two) {
    uint64_t va, before = vregion_free_bytes();
    ASSERT_EQ(vregion_alloc(5 * PAGE_SIZE, &va), 0);
    EXPECT_EQ(vregion_free_bytes(), before - 8 * PAGE_SIZE);
    EXPECT_EQ(vregion_free(va, 5 * PAGE_SIZE), 0);
    EXPECT_EQ(vregion_free_bytes(), before);
}

KTEST(vregion, bad_requests_are_refused) {
    uint64_t va;
    EXPECT_EQ(vregion_alloc(0, &va), BUDDY_ERR_ORDER);
    EXPECT_EQ(vregion_alloc(1ul << 50, &va), BUDDY_ERR_ORDER);
    ASSERT_EQ(vregion_alloc(2 * PAGE_SIZE, &va), 0);
    EXPECT_EQ(vregion_free(va + PAGE_SIZE, PAGE_SIZE), BUDDY_ERR_NOT_ALLOCATED);  // inside it
    EXPECT_EQ(vregion_free(va, 2 * PAGE_SIZE), 0);
    ASSERT_EQ(vregion_alloc(PAGE_SIZE, &va), 0);
    EXPECT_EQ(vregion_free(va, 2 * PAGE_SIZE), BUDDY_ERR_WRONG_ORDER);
    EXPECT_EQ(vregion_free(va, PAGE_SIZE), 0);
    EXPECT_EQ(vregion_free(va, PAGE_SIZE), BUDDY_ERR_DOUBLE_FREE);
}

// The biggest block (64 TiB at 64 TiB) is only there again if every free
// merged back: a test of coalescing on the real region allocator.
KTEST(vregion, everything_merges_back) {
    uint64_t a, c, d, before = vregion_free_bytes();
    ASSERT_EQ(vregion_alloc(PAGE_SIZE, &a), 0);
    ASSERT_EQ(vregion_alloc(PAGE_SIZE, &c), 0);
    ASSERT_EQ(vregion_alloc(1ul << 46, &d), 0);  // takes the 64 TiB block
    EXPECT_EQ(vregion_free(d, 1ul << 46), 0);
    EXPECT_EQ(vregion_free(a, PAGE_SIZE), 0);
    EXPECT_EQ(vregion_free(c, PAGE_SIZE), 0);
    EXPECT_EQ(vregion_free_bytes(), before);
    const char *why = NULL;
    EXPECT_EQ(buddy_check(vregion_buddy(), &why), 0);
    EXPECT_EQ(vregion_buddy()->free_blocks[34], 1);
}

// A region is only addresses: map frames into it in a fresh root and use it.
KTEST(vregion, a_region_can_be_mapped_and_used) {
    uint64_t va, frame = frame_alloc();
    ASSERT_TRUE(frame != 0);
    ASSERT_EQ(vregion_alloc(PAGE_SIZE, &va), 0);
    pte_t *root = paging_new_root(), *old = paging_active_root();
    ASSERT_TRUE(root != NULL);
    ASSERT_EQ(map_region(root, va, frame, PAGE_SIZE, VM_WRITE), 0);
    paging_activate(root);
    *(volatile uint64_t *)va = 0xCAFE;
    paging_activate(old);
    EXPECT_EQ(*(uint64_t *)phys_to_virt(frame), 0xCAFE);
    paging_free_root(root);
    frame_free(frame);
    EXPECT_EQ(vregion_free(va, PAGE_SIZE), 0);
}
