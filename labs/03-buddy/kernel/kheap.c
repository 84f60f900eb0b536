// kheap.c: the kernel heap (heap.c) on top of the frame allocator.
//
// heap.c knows nothing of frames or of the direct map, so that it builds on
// the host for testing; this file gives it its pages and says which
// pointers are worth looking at.
//
// kfree may read the page a pointer falls in only if that page is mapped.
// The quick test is heap_pages, a bitmap with a bit for each frame below
// HEAP_BITMAP_LIMIT, which heap.c keeps: set while the frame starts one of
// the heap's blocks (a slab, or a large block with its header). It lives in
// .bss, which the boot loader clears, so it costs the boot nothing. Any
// other pointer (a page freed already, a stray pointer, a frame above the
// limit) gets the slow test, owns(): a page-table walk, so that a double
// free is still told apart from a pointer into a hole.
#include "frame.h"
#include "heap.h"
#include "kprintf.h"
#include "kvm.h"
#include "memlayout.h"
#include "paging.h"

#define HEAP_BITMAP_LIMIT (8ul << 30)  // QEMU's RAM ends at 5 GiB with MEM=4G

static uint64_t heap_pages[HEAP_BITMAP_LIMIT / PAGE_SIZE / 64];

static void *alloc_pages(int order) {
    // LAB 3: BEGIN SOLUTION
    uint64_t pa = frame_alloc_order(order);
    return pa ? phys_to_virt(pa) : NULL;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)order;
    // LAB 3: STUB return NULL;   /* lab 3: alloc_pages not written yet */
}

static void free_pages(void *pages, int order) {
    // LAB 3: BEGIN SOLUTION
    int err = frame_free_order(virt_to_phys(pages), order);
    if (err)
        kprintf("heap: giving back %p: %s\n", pages, buddy_error_string(err));
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)pages, (void)order;   /* lab 3: free_pages not written yet */
}

// Only for a page that does not start a live block of the heap: kfree
// may still read it if it is mapped (to tell a double free from a stray
// pointer).
static int owns(const void *pointer) {
    // LAB 3: BEGIN SOLUTION
    uint64_t va = (uint64_t)pointer & ~(PAGE_SIZE - 1);
    if (va < DIRECT_MAP || va >= kvm_direct_map_end())
        return 0;
    struct mapping m;
    return kernel_root && translate(kernel_root, va, &m);
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)pointer;
    // LAB 3: STUB return 0;   /* lab 3: owns not written yet */
}

static void report(const char *why, const void *pointer) {
    kprintf("heap: kfree(%p) refused: %s\n", pointer, why);
}

static const struct heap_page_source frame_source = {
    alloc_pages, free_pages, owns, report, heap_pages, DIRECT_MAP, HEAP_BITMAP_LIMIT / PAGE_SIZE,
};

void kheap_init(void) { heap_init(&frame_source); }
