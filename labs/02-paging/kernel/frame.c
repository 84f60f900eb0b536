// frame.c: the early frame allocator.
//
// Free memory is the list of usable ranges from physmem.c. A "bump"
// pointer walks through them, handing out each frame once; frames given
// back go on a free list, threaded through the frames themselves (each
// free frame holds the address of the next, written through the direct
// map), and are reused first. Boot work is proportional to the number of
// ranges, not to the amount of memory. Lab 03 replaces this file.
#include "frame.h"
#include "memlayout.h"
#include "panic.h"
#include "physmem.h"

static struct phys_range ranges[PHYSMEM_MAX_RANGES];
static int nranges;
static int current;         // the range the bump pointer is in
static uint64_t bump;       // the next never-used frame
static uint64_t free_list;  // physical address, 0 when empty
static uint64_t free_count;

void frame_init(void) {
    nranges = physmem_usable_ranges(ranges, PHYSMEM_MAX_RANGES);
    // LAB 2: BEGIN SOLUTION
    current = 0;
    bump = nranges > 0 ? ranges[0].start : 0;
    free_list = 0;
    free_count = 0;
    for (int i = 0; i < nranges; i++)
        free_count += (ranges[i].end - ranges[i].start) / PAGE_SIZE;
    // LAB 2: END SOLUTION
}

static bool is_usable(uint64_t pa) {
    for (int i = 0; i < nranges; i++)
        if (pa >= ranges[i].start && pa < ranges[i].end)
            return true;
    return false;
}

uint64_t frame_alloc(void) {
    // LAB 2: BEGIN SOLUTION
    if (free_list) {
        uint64_t pa = free_list;
        free_list = *(uint64_t *)phys_to_virt(pa);
        free_count--;
        return pa;
    }
    while (current < nranges && bump >= ranges[current].end) {
        current++;
        if (current < nranges)
            bump = ranges[current].start;
    }
    if (current >= nranges)
        return 0;  // out of memory
    uint64_t pa = bump;
    bump += PAGE_SIZE;
    free_count--;
    return pa;
    // LAB 2: END SOLUTION
    // LAB 2: STUB (void)current;
    // LAB 2: STUB (void)bump;
    // LAB 2: STUB (void)free_list;
    // LAB 2: STUB return 0;   /* lab 2: frame_alloc not written yet */
}

void frame_free(uint64_t pa) {
    if (pa % PAGE_SIZE != 0 || !is_usable(pa))
        panic("frame_free: %p is not a frame this allocator hands out", (void *)pa);
    // LAB 2: BEGIN SOLUTION
    *(uint64_t *)phys_to_virt(pa) = free_list;
    free_list = pa;
    free_count++;
    // LAB 2: END SOLUTION
}

uint64_t frame_free_count(void) { return free_count; }
