// paging_test.c: map_region, unmap_region and translate, on a fresh root
// whose lower half the tests can change freely.
#include "frame.h"
#include "hoard.h"
#include "ktest.h"
#include "memlayout.h"
#include "paging.h"
#include "string.h"

#define VA  0x40000000ul  // 1 GiB: an address nobody uses
#define PA  0x12345000ul  // translate-only tests never touch it
#define MB2 PAGE_SIZE_2M

static pte_t *root;
static uint64_t frames_before;

static void setup(void) {
    ASSERT_TRUE(kernel_root != NULL);  // kvm_init built the kernel's tables
    frames_before = frame_free_count();
    root = paging_new_root();
    ASSERT_TRUE(root != NULL);
}

// Every test ends here: the root and its tables go back, and no frame may
// be missing afterwards.
static void teardown(void) {
    paging_free_root(root);
    EXPECT_EQ(frame_free_count(), frames_before);
}

static bool maps_to(uint64_t va, uint64_t pa) {
    struct mapping m;
    return translate(root, va, &m) && m.pa == pa;
}

KTEST(paging, map_translate_unmap_4k) {
    setup();
    EXPECT_EQ(map_region(root, VA, PA, PAGE_SIZE, VM_WRITE), 0);
    struct mapping m;
    ASSERT_TRUE(translate(root, VA + 0x123, &m));
    EXPECT_EQ(m.pa, PA + 0x123);
    EXPECT_EQ(m.perm, VM_WRITE);
    EXPECT_EQ(m.page_size, PAGE_SIZE);
    EXPECT_FALSE(translate(root, VA + PAGE_SIZE, &m));
    EXPECT_EQ(unmap_region(root, VA, PAGE_SIZE), 0);
    EXPECT_FALSE(translate(root, VA, &m));
    teardown();
}

KTEST(paging, map_2m_uses_a_huge_page) {
    setup();
    EXPECT_EQ(map_region(root, VA, 0x40000000, MB2, VM_EXEC | VM_USER), 0);
    struct mapping m;
    ASSERT_TRUE(translate(root, VA + 0x1FFFFF, &m));
    EXPECT_EQ(m.page_size, PAGE_SIZE_2M);
    EXPECT_EQ(m.pa, 0x40000000 + 0x1FFFFF);
    EXPECT_EQ(m.perm, VM_EXEC | VM_USER);
    EXPECT_EQ(unmap_region(root, VA, MB2), 0);
    EXPECT_FALSE(translate(root, VA, &m));
    teardown();
}

KTEST(paging, mixed_sizes_in_one_region) {
    setup();
    // 4 KiB pages up to the 2 MiB boundary, one 2 MiB page, then 4 KiB.
    uint64_t va = VA + MB2 - 2 * PAGE_SIZE, pa = 0x40000000 + MB2 - 2 * PAGE_SIZE;
    uint64_t len = 2 * PAGE_SIZE + MB2 + 3 * PAGE_SIZE;
    EXPECT_EQ(map_region(root, va, pa, len, VM_READ), 0);
    struct mapping m;
    ASSERT_TRUE(translate(root, VA + MB2, &m));
    EXPECT_EQ(m.page_size, PAGE_SIZE_2M);
    ASSERT_TRUE(translate(root, va, &m));
    EXPECT_EQ(m.page_size, PAGE_SIZE);
    for (uint64_t off = 0; off < len; off += PAGE_SIZE)
        EXPECT_TRUE(maps_to(va + off, pa + off));
    EXPECT_EQ(unmap_region(root, va, len), 0);
    teardown();
}

KTEST(paging, region_spanning_table_boundaries) {
    setup();
    // Crosses from PML4 entry 0 into entry 1 (512 GiB), so every level of
    // table changes in the middle of the region.
    uint64_t va = 0x8000000000ul - 3 * PAGE_SIZE;
    EXPECT_EQ(map_region(root, va, PA, 6 * PAGE_SIZE, VM_WRITE), 0);
    for (int i = 0; i < 6; i++)
        EXPECT_TRUE(maps_to(va + i * PAGE_SIZE, PA + i * PAGE_SIZE));
    EXPECT_EQ(unmap_region(root, va, 6 * PAGE_SIZE), 0);
    teardown();
}

KTEST(paging, bad_arguments_are_refused) {
    setup();
    EXPECT_EQ(map_region(root, VA + 1, PA, PAGE_SIZE, 0), VM_ERR_ALIGN);
    EXPECT_EQ(map_region(root, VA, PA + 8, PAGE_SIZE, 0), VM_ERR_ALIGN);
    EXPECT_EQ(map_region(root, VA, PA, 100, 0), VM_ERR_ALIGN);
    EXPECT_EQ(map_region(root, VA, PA, 0, 0), VM_ERR_RANGE);
    EXPECT_EQ(map_region(root, 0x0000800000000000ul, PA, PAGE_SIZE, 0), VM_ERR_RANGE);
    EXPECT_EQ(map_region(root, 0x00007FFFFFFFF000ul, PA, 2 * PAGE_SIZE, 0), VM_ERR_RANGE);
    EXPECT_EQ(map_region(root, 0xFFFFFFFFFFFFF000ul, PA, 2 * PAGE_SIZE, 0), VM_ERR_RANGE);
    EXPECT_EQ(unmap_region(root, VA, 0), VM_ERR_RANGE);
    EXPECT_STREQ(vm_error_string(VM_ERR_OVERLAP), "range overlaps an existing mapping");
    teardown();
}

KTEST(paging, overlap_is_refused_and_nothing_is_left) {
    setup();
    ASSERT_EQ(map_region(root, VA + 4 * PAGE_SIZE, PA, PAGE_SIZE, 0), 0);
    // Pages 0-3 would map before the clash at page 4: they must be undone.
    EXPECT_EQ(map_region(root, VA, PA, 8 * PAGE_SIZE, 0), VM_ERR_OVERLAP);
    struct mapping m;
    EXPECT_FALSE(translate(root, VA, &m));
    EXPECT_FALSE(translate(root, VA + 3 * PAGE_SIZE, &m));
    EXPECT_TRUE(maps_to(VA + 4 * PAGE_SIZE, PA));
    // A 2 MiB map over a 4 KiB page, and a 4 KiB map inside a 2 MiB page.
    EXPECT_EQ(map_region(root, VA, 0x40000000, MB2, 0), VM_ERR_OVERLAP);
    ASSERT_EQ(map_region(root, VA + MB2, 0x40000000, MB2, 0), 0);
    EXPECT_EQ(map_region(root, VA + MB2 + PAGE_SIZE, PA, PAGE_SIZE, 0), VM_ERR_OVERLAP);
    teardown();
}

KTEST(paging, unmap_of_unmapped_changes_nothing) {
    setup();
    ASSERT_EQ(map_region(root, VA, PA, 2 * PAGE_SIZE, 0), 0);
    EXPECT_EQ(unmap_region(root, VA, 3 * PAGE_SIZE), VM_ERR_NOT_MAPPED);
    EXPECT_TRUE(maps_to(VA, PA));
    EXPECT_TRUE(maps_to(VA + PAGE_SIZE, PA + PAGE_SIZE));
    teardown();
}

KTEST(paging, partial_unmap_splits_a_huge_page) {
    setup();
    ASSERT_EQ(map_region(root, VA, 0x40000000, MB2, VM_WRITE), 0);
    EXPECT_EQ(unmap_region(root, VA + 5 * PAGE_SIZE, PAGE_SIZE), 0);
    struct mapping m;
    EXPECT_FALSE(translate(root, VA + 5 * PAGE_SIZE, &m));
    ASSERT_TRUE(translate(root, VA + 6 * PAGE_SIZE, &m));
    EXPECT_EQ(m.pa, 0x40000000 + 6 * PAGE_SIZE);
    EXPECT_EQ(m.page_size, PAGE_SIZE);
    EXPECT_EQ(m.perm, VM_WRITE);
    EXPECT_TRUE(maps_to(VA, 0x40000000));
    teardown();
}

KTEST(paging, empty_tables_are_reused_for_a_huge_page) {
    setup();
    ASSERT_EQ(map_region(root, VA, PA, PAGE_SIZE, 0), 0);
    ASSERT_EQ(unmap_region(root, VA, PAGE_SIZE), 0);
    // The page table under VA is now empty; a 2 MiB page may take its slot.
    EXPECT_EQ(map_region(root, VA, 0x40000000, MB2, 0), 0);
    teardown();
}

KTEST(paging, activated_root_really_maps_memory) {
    setup();
    uint64_t frame = frame_alloc();
    ASSERT_TRUE(frame != 0);
    ASSERT_EQ(map_region(root, VA, frame, PAGE_SIZE, VM_WRITE), 0);
    pte_t *old = paging_active_root();
    paging_activate(root);  // the kernel half is the same
    *(volatile uint64_t *)VA = 0xBA7011;
    paging_activate(old);
    EXPECT_EQ(*(uint64_t *)phys_to_virt(frame), 0xBA7011);
    frame_free(frame);
    teardown();
}

KTEST(paging, out_of_memory_is_an_error) {
    ktest_set_timeout(60 * TIMER_HZ);  // takes every frame, up to 4 GiB
    setup();
    // Take every frame, so no page table can be made.
    struct hoard hoard;
    ASSERT_TRUE(hoard_init(&hoard));
    uint64_t pa;
    while ((pa = frame_alloc()) != 0)
        hoard_add(&hoard, pa);
    EXPECT_EQ(map_region(root, VA, PA, PAGE_SIZE, 0), VM_ERR_NO_MEMORY);
    hoard_free_all(&hoard);
    struct mapping m;
    EXPECT_FALSE(translate(root, VA, &m));
    teardown();
}

// The CPU checks the user bit at every level: a user page under a table
// entry without it is out of ring 3's reach, whatever its leaf says.
KTEST(paging, tables_above_a_user_page_allow_user) {
    setup();
    ASSERT_EQ(map_region(root, VA, PA, PAGE_SIZE, VM_USER), 0);
    ASSERT_EQ(map_region(root, VA + 4 * MB2, 0x40000000, MB2, VM_USER), 0);
    uint64_t pages[2] = {VA, VA + 4 * MB2};
    for (int p = 0; p < 2; p++) {
        pte_t *table = root;
        for (int level = 3; level >= 0; level--) {
            pte_t entry = table[(pages[p] >> (12 + 9 * level)) & 511];
            ASSERT_TRUE(entry & PTE_PRESENT);
            EXPECT_TRUE(entry & PTE_USER);
            if (entry & PTE_HUGE)
                break;
            table = phys_to_virt(entry & PTE_ADDRESS);
        }
    }
    teardown();
}

// Unmapping in the running address space must flush the TLB: the page is
// touched (its translation cached), unmapped, and the next touch faults.
KTEST(paging, unmap_in_the_active_root_flushes_the_tlb) {
    setup();
    uint64_t frame = frame_alloc();
    ASSERT_TRUE(frame != 0);
    ASSERT_EQ(map_region(root, VA, frame, PAGE_SIZE, VM_WRITE), 0);
    pte_t *old = paging_active_root();
    paging_activate(root);
    *(volatile uint64_t *)VA = 1;  // now in the TLB
    int err = unmap_region(root, VA, PAGE_SIZE);
    EXPECT_EXCEPTION(T_PAGE_FAULT, *(volatile uint64_t *)VA = 2);
    paging_activate(old);
    EXPECT_EQ(err, 0);
    EXPECT_EQ(*(uint64_t *)phys_to_virt(frame), 1);
    frame_free(frame);
    teardown();
}

// Unmapping the first 4 KiB of a 2 MiB page splits it too: only that page
// goes, the other 511 stay.
KTEST(paging, unmap_of_the_first_page_of_a_huge_page_keeps_the_rest) {
    setup();
    ASSERT_EQ(map_region(root, VA, 0x40000000, MB2, VM_WRITE), 0);
    EXPECT_EQ(unmap_region(root, VA, PAGE_SIZE), 0);
    struct mapping m;
    EXPECT_FALSE(translate(root, VA, &m));
    for (uint64_t off = PAGE_SIZE; off < MB2; off += PAGE_SIZE)
        if (!maps_to(VA + off, 0x40000000 + off)) {
            ktest_fail(__FILE__, __LINE__, "VA + 0x%lx is no longer mapped", off);
            break;
        }
    teardown();
}

// A 2 MiB page needs both addresses 2 MiB aligned: with the virtual one
// aligned but not the physical one, the range is mapped with 4 KiB pages,
// each to its own frame (a 2 MiB entry would drop pa's low bits).
KTEST(paging, unaligned_pa_gets_4k_pages) {
    setup();
    ASSERT_EQ(map_region(root, VA, 0x40000000 + PAGE_SIZE, MB2, VM_WRITE), 0);
    struct mapping m;
    ASSERT_TRUE(translate(root, VA, &m));
    EXPECT_EQ(m.page_size, PAGE_SIZE);
    EXPECT_EQ(m.pa, 0x40000000 + PAGE_SIZE);
    EXPECT_TRUE(maps_to(VA + MB2 - PAGE_SIZE, 0x40000000 + MB2));
    EXPECT_EQ(unmap_region(root, VA, MB2), 0);
    teardown();
}

// Looking up is not changing: translate and a refused unmap of addresses
// nobody mapped make no page table.
KTEST(paging, lookups_allocate_nothing) {
    setup();
    uint64_t before = frame_free_count();
    struct mapping m;
    EXPECT_FALSE(translate(root, VA, &m));
    EXPECT_FALSE(translate(root, VA + 512 * MB2, &m));
    EXPECT_EQ(unmap_region(root, VA, PAGE_SIZE), VM_ERR_NOT_MAPPED);
    EXPECT_EQ(frame_free_count(), before);
    EXPECT_EQ(root[(VA >> 39) & 511], 0);  // no PDPT under the PML4 slot
    teardown();
}
