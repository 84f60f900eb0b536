// kheap.c: the kernel heap (heap.c) on top of the frame allocator.
//
// heap.c knows nothing of frames or of the direct map, so that it builds on
// the host for testing; this file gives it its pages and says which
// pointers are worth looking at.
#include "frame.h"
#include "heap.h"
#include "kprintf.h"
#include "kvm.h"
#include "memlayout.h"
#include "paging.h"

static void *alloc_pages(int order) {
    uint64_t pa = frame_alloc_order(order);
    return pa ? phys_to_virt(pa) : NULL;
}

static void free_pages(void *pages, int order) {
    int err = frame_free_order(virt_to_phys(pages), order);
    if (err)
        kprintf("heap: giving back %p: %s\n", pages, buddy_error_string(err));
}

// kfree may read the page a pointer falls in only if that page is mapped.
// The heap's live pages start allocated blocks of the frame buddy (a slab is
// one frame, a large object's header starts its block): that is the quick
// test. Anything else (a page freed already, a stray pointer) gets the slow
// test, a page-table walk, so that a double free is still told apart.
static int owns(const void *pointer) {
    uint64_t va = (uint64_t)pointer & ~(PAGE_SIZE - 1);
    if (va < DIRECT_MAP || va >= kvm_direct_map_end())
        return 0;
    if (buddy_allocated_order(frame_buddy(), va - DIRECT_MAP) >= 0)
        return 1;
    struct mapping m;
    return kernel_root && translate(kernel_root, va, &m);
}

static void report(const char *why, const void *pointer) {
    kprintf("heap: kfree(%p) refused: %s\n", pointer, why);
}

static const struct heap_page_source frame_source = {alloc_pages, free_pages, owns, report};

void kheap_init(void) { heap_init(&frame_source); }
