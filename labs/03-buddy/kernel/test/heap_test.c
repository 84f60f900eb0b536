// heap_test.c: kmalloc and kfree in the kernel.
#include "frame.h"
#include "heap.h"
#include "ktest.h"
#include "memlayout.h"
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

KTEST(heap, everything_comes_back) {
    heap_trim();
    uint64_t frames_before = frame_free_count();
    struct heap_stats s;
    for (int i = 0; i < N; i++)
        objects[i] = kmalloc(i < N / 2 ? 64 : 5000);
    heap_get_stats(&s);
    EXPECT_EQ(s.objects[2], N / 2);            // the 64-byte class
    EXPECT_EQ(s.large_blocks, N / 2);
    for (int i = 0; i < N; i++)
        EXPECT_EQ(kfree(objects[i]), 0);
    heap_trim();
    heap_get_stats(&s);
    EXPECT_EQ(s.objects[2], 0);
    EXPECT_EQ(s.large_blocks, 0);
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
    EXPECT_EQ(kfree(p + 8), HEAP_ERR_FOREIGN);           // inside an object
    EXPECT_EQ(kfree(p), 0);
    EXPECT_EQ(kfree(p), HEAP_ERR_DOUBLE_FREE);
    EXPECT_EQ(kfree(big), 0);
    EXPECT_EQ(kfree(big), HEAP_ERR_DOUBLE_FREE);
    int local;
    EXPECT_EQ(kfree(&local), HEAP_ERR_FOREIGN);          // the stack
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
    EXPECT_TRUE(kmalloc(1ul << 41) == NULL);            // beyond any block
    EXPECT_TRUE(kmalloc(64ul << 30) == NULL);           // more than the machine
    void *p = kmalloc(64);                               // and the heap goes on
    EXPECT_TRUE(p != NULL);
    EXPECT_EQ(kfree(p), 0);
}
