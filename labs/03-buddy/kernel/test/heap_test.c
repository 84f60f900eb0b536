// heap_test.c: kmalloc and kfree in the kernel.
#include "frame.h"
#include "heap.h"
#include "ktest.h"
#include "memlayout.h"
#include "kvm.h"
#include "paging.h"
#include "string.h"

#define N 200
static unsigned char *objects[N];
static size_t sizes[N];

KTEST(heap, objects_of_many_sizes_do_not_overlap) {
    for (int i = 0; i < N; i++) {
        sizes[i] = 1 + (i * 37) % 3000;
        objects[i] = kmalloc(sizes[i]);
        ASSERT_TRUE(objects[i] != NULL);
        EXPECT_EQ((uint64_t)objects[i] % 16, 0);
        memset(objects[i], i, sizes[i]);
    }
    for (int i = 0; i < N; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            if (objects[i][k] != (unsigned char)i) {
                ktest_fail(__FILE__, __LINE__, "object %d was overwritten at byte %lu", i, k);
                break;
            }
    for (int i = 0; i < N; i++)
        EXPECT_EQ(kfree(objects[i]), 0);
}

// Counted from what was live before: other suites of the same boot may
// have left objects of their own (a failing one, or a cache).
KTEST(heap, everything_comes_back) {
    heap_trim();
    uint64_t frames_before = frame_free_count();
    struct heap_stats before, s;
    heap_get_stats(&before);
    for (int i = 0; i < N; i++)
        objects[i] = kmalloc(i < N / 2 ? 64 : 5000);
    heap_get_stats(&s);
    EXPECT_EQ(s.objects[2], before.objects[2] + N / 2);  // the 64-byte class
    EXPECT_EQ(s.large_blocks, before.large_blocks + N / 2);
    for (int i = 0; i < N; i++)
        EXPECT_EQ(kfree(objects[i]), 0);
    heap_trim();
    heap_get_stats(&s);
    EXPECT_EQ(s.objects[2], before.objects[2]);
    EXPECT_EQ(s.large_blocks, before.large_blocks);
    EXPECT_EQ(frame_free_count(), frames_before);
}

KTEST(heap, kzalloc_zeroes) {
    unsigned char *p = kmalloc(128);
    ASSERT_TRUE(p != NULL);
    memset(p, 0xFF, 128);
    EXPECT_EQ(kfree(p), 0);
    p = kzalloc(128);
    ASSERT_TRUE(p != NULL);
    for (int i = 0; i < 128; i++)
        EXPECT_EQ(p[i], 0);
    EXPECT_EQ(kfree(p), 0);
}

KTEST(heap, double_free_and_foreign_pointers_are_refused) {
    struct heap_stats before, after;
    heap_get_stats(&before);
    char *p = kmalloc(64), *big = kmalloc(10000);
    ASSERT_TRUE(p != NULL && big != NULL);
    EXPECT_EQ(kfree(p + 8), HEAP_ERR_FOREIGN);  // inside an object
    EXPECT_EQ(kfree(p), 0);
    EXPECT_EQ(kfree(p), HEAP_ERR_DOUBLE_FREE);
    EXPECT_EQ(kfree(big), 0);
    EXPECT_EQ(kfree(big), HEAP_ERR_DOUBLE_FREE);
    int local;
    EXPECT_EQ(kfree(&local), HEAP_ERR_FOREIGN);  // the stack
    EXPECT_EQ(kfree((void *)_text_start), HEAP_ERR_FOREIGN);
    EXPECT_EQ(kfree((void *)0x1000), HEAP_ERR_FOREIGN);  // unmapped
    uint64_t frame = frame_alloc();                      // a page, not the heap's
    memset(phys_to_virt(frame), 0, PAGE_SIZE);
    EXPECT_EQ(kfree((char *)phys_to_virt(frame) + 64), HEAP_ERR_FOREIGN);
    frame_free(frame);
    heap_get_stats(&after);
    EXPECT_EQ(after.refused_frees - before.refused_frees, 7);
}

KTEST(heap, out_of_memory_is_null) {
    EXPECT_TRUE(kmalloc(1ul << 41) == NULL);   // beyond any block
    EXPECT_TRUE(kmalloc(64ul << 30) == NULL);  // more than the machine
    void *p = kmalloc(64);                     // and the heap goes on
    EXPECT_TRUE(p != NULL);
    EXPECT_EQ(kfree(p), 0);
}

// A slab whose last object is freed goes back to the frame allocator at
// once (the class keeps one), without waiting for heap_trim.
KTEST(heap, an_emptied_slab_goes_back_without_trim) {
    heap_trim();
    uint64_t frames_before = frame_free_count();
    for (int i = 0; i < 3 * 7; i++)  // 3 slabs of 7 512-byte objects
        objects[i] = kmalloc(512);
    EXPECT_TRUE(frame_free_count() <= frames_before - 2);  // at least 2 new slabs
    for (int i = 0; i < 3 * 7; i++)
        EXPECT_EQ(kfree(objects[i]), 0);
    EXPECT_TRUE(frame_free_count() >= frames_before - 1);
}

static bool pattern_intact(const unsigned char *p, size_t n, unsigned char value) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != value)
            return false;
    return true;
}

// Refuse a pointer inside an object, small or large, and leave the object
// as it was: a pointer is freed only if kmalloc returned exactly it.
static void expect_interior_refused(unsigned char *p, size_t size, size_t offset) {
    EXPECT_EQ(kfree(p + offset), HEAP_ERR_FOREIGN);
    if (!pattern_intact(p, size, 0xC3))
        ktest_fail(__FILE__, __LINE__, "kfree(p + %lu) changed an object of %lu bytes", offset,
                   size);
}

KTEST(heap, every_interior_pointer_is_refused) {
    for (size_t size = 16; size <= HEAP_MAX_SMALL; size *= 2) {
        unsigned char *p = kmalloc(size);
        ASSERT_TRUE(p != NULL);
        memset(p, 0xC3, size);
        for (size_t offset = 8; offset < size && offset <= 64; offset += 8)
            expect_interior_refused(p, size, offset);
        if (size > 64) {
            expect_interior_refused(p, size, size / 2 + 8);
            expect_interior_refused(p, size, size - 16);
        }
        EXPECT_EQ(kfree(p), 0);
    }
    size_t size = 3 * PAGE_SIZE + 100;  // 4 pages with the header
    unsigned char *big = kmalloc(size);
    ASSERT_TRUE(big != NULL);
    memset(big, 0xC3, size);
    for (size_t offset = 8; offset <= 64; offset += 8)
        expect_interior_refused(big, size, offset);
    for (size_t page = PAGE_SIZE; page < size; page += PAGE_SIZE)
        for (size_t offset = page - 64; offset <= page + 80; offset += 48)
            expect_interior_refused(big, size, offset);
    EXPECT_EQ(kfree(big), 0);
}

// A pointer into a hole of physical memory (an address of the direct map
// where no RAM is, so nothing is mapped) is refused without a fault.
KTEST(heap, pointer_into_a_memory_hole_is_refused) {
    struct mapping m;
    uint64_t hole = 0;
    for (uint64_t va = DIRECT_MAP; va < kvm_direct_map_end(); va += PAGE_SIZE)
        if (!translate(kernel_root, va, &m)) {
            hole = va;
            break;
        }
    ASSERT_TRUE(hole != 0);  // QEMU leaves 0xA0000-0xFFFFF out
    EXPECT_EQ(kfree((void *)(hole + 64)), HEAP_ERR_FOREIGN);
    EXPECT_EQ(kfree((void *)hole), HEAP_ERR_FOREIGN);
}

// A large object's block holds its header too: kmalloc(n) may use all n
// bytes without running past the block.
KTEST(heap, a_large_block_holds_header_and_object) {
    static const size_t sizes[] = {2049, 4096 - 64, 4096 - 63, 4096, 8192, 10000};
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = kmalloc(sizes[i]);
        ASSERT_TRUE(p != NULL);
        uint64_t page = (uint64_t)p & ~(PAGE_SIZE - 1);
        int order = buddy_allocated_order(frame_buddy(), virt_to_phys((void *)page));
        ASSERT_TRUE(order >= 0);
        if ((uint64_t)p + sizes[i] > page + (PAGE_SIZE << order))
            ktest_fail(__FILE__, __LINE__, "kmalloc(%lu) = page + %lu in a block of %lu bytes",
                       sizes[i], (uint64_t)p - page, PAGE_SIZE << order);
        EXPECT_EQ(kfree(p), 0);
    }
}
