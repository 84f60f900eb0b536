// frame_test.c: the frame allocator hands out each free frame once, never
// a reserved one, and says when it has run out.
#include "frame.h"
#include "hoard.h"
#include "ktest.h"
#include "memlayout.h"
#include "multiboot2.h"
#include "physmem.h"

#define SAMPLE 1024
static uint64_t sample[SAMPLE];

static bool in_available_memory(uint64_t pa) {
    for (int i = 0; i < bootinfo.nregions; i++) {
        const struct mem_region *r = &bootinfo.regions[i];
        if (r->type == MEM_AVAILABLE && pa >= r->base && pa + PAGE_SIZE <= r->base + r->length)
            return true;
    }
    return false;
}

KTEST(frame, frames_are_aligned_usable_and_unreserved) {
    uint64_t before = frame_free_count();
    for (int i = 0; i < SAMPLE; i++) {
        sample[i] = frame_alloc();
        ASSERT_TRUE(sample[i] != 0);
        EXPECT_EQ(sample[i] % PAGE_SIZE, 0);
        EXPECT_TRUE(in_available_memory(sample[i]));
        EXPECT_FALSE(physmem_is_reserved(sample[i]));
        EXPECT_TRUE(sample[i] >= 0x100000);
    }
    EXPECT_EQ(frame_free_count(), before - SAMPLE);
    for (int i = 0; i < SAMPLE; i++)
        frame_free(sample[i]);
    EXPECT_EQ(frame_free_count(), before);
}

KTEST(frame, no_frame_is_handed_out_twice) {
    for (int i = 0; i < SAMPLE; i++) {
        sample[i] = frame_alloc();
        ASSERT_TRUE(sample[i] != 0);
    }
    // Sort, then neighbours must differ (insertion sort: small sample).
    for (int i = 1; i < SAMPLE; i++) {
        uint64_t x = sample[i];
        int j = i;
        for (; j > 0 && sample[j - 1] > x; j--)
            sample[j] = sample[j - 1];
        sample[j] = x;
    }
    for (int i = 1; i < SAMPLE; i++)
        EXPECT_NE(sample[i], sample[i - 1]);
    for (int i = 0; i < SAMPLE; i++)
        frame_free(sample[i]);
}

KTEST(frame, reserved_ranges_are_reserved) {
    EXPECT_TRUE(physmem_is_reserved(0));
    EXPECT_TRUE(physmem_is_reserved(0xFF000));
    EXPECT_TRUE(physmem_is_reserved((uint64_t)_kernel_phys_start));
    EXPECT_TRUE(physmem_is_reserved((uint64_t)_kernel_phys_end - 1));
    EXPECT_TRUE(physmem_is_reserved(bootinfo.info_phys));
    struct phys_range ranges[PHYSMEM_MAX_RANGES];
    int n = physmem_usable_ranges(ranges, PHYSMEM_MAX_RANGES);
    ASSERT_TRUE(n > 0);
    for (int i = 0; i < n; i++) {
        EXPECT_TRUE(ranges[i].start < ranges[i].end);
        EXPECT_FALSE(physmem_is_reserved(ranges[i].start));
        EXPECT_FALSE(physmem_is_reserved(ranges[i].end - PAGE_SIZE));
        if (i > 0)
            EXPECT_TRUE(ranges[i - 1].end <= ranges[i].start);
    }
}

KTEST(frame, freed_frame_is_reused) {
    uint64_t a = frame_alloc();
    ASSERT_TRUE(a != 0);
    frame_free(a);
    EXPECT_EQ(frame_alloc(), a);
    frame_free(a);
}

static bool inside_a_module(uint64_t pa) {
    for (int i = 0; i < bootinfo.nmodules; i++)
        if (pa + PAGE_SIZE > bootinfo.modules[i].start && pa < bootinfo.modules[i].end)
            return true;
    return false;
}

// Take every frame: the count must match, then 0 (not a panic), and all of
// them come back. The taken frames are kept in a hoard (hoard.h), a bitmap
// that refuses a frame handed out twice and leaves the frames themselves
// untouched. On the way, no frame may lie inside a boot module (the
// programs, from lab 04): they are in memory the loader marked available,
// and the allocator must keep them out. The grader boots this suite with a
// module; the line below says how many were checked.
KTEST(frame, exhaustion_is_an_error_and_everything_comes_back) {
    ktest_set_timeout(60 * TIMER_HZ);     // every frame of up to 4 GiB, under TCG
    uint64_t lowest = ~0ul, highest = 0;  // the modules' span: most frames are outside it
    for (int i = 0; i < bootinfo.nmodules; i++) {
        lowest = bootinfo.modules[i].start < lowest ? bootinfo.modules[i].start : lowest;
        highest = bootinfo.modules[i].end > highest ? bootinfo.modules[i].end : highest;
    }
    uint64_t before = frame_free_count(), inside = 0, twice = 0, pa;
    struct hoard hoard;
    ASSERT_TRUE(hoard_init(&hoard));
    uint64_t taken = hoard.npages;  // the hoard's own frames
    while ((pa = frame_alloc()) != 0) {
        taken++;
        if (pa + PAGE_SIZE > lowest && pa < highest && inside_a_module(pa))
            inside++;  // kept out of the hoard: it is not given back
        else if (!hoard_add(&hoard, pa))
            twice++;  // handed out before (or not a frame of memory)
    }
    EXPECT_EQ(taken, before);
    EXPECT_EQ(frame_free_count(), 0);
    EXPECT_EQ(frame_alloc(), 0);
    hoard_free_all(&hoard);
    EXPECT_EQ(inside, 0);
    EXPECT_EQ(twice, 0);
    EXPECT_EQ(frame_free_count(), before - inside);
    kprintf("frame: %d boot module(s), %lu of their frames handed out\n", bootinfo.nmodules,
            inside);
}
