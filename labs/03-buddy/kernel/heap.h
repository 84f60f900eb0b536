// heap.h: the kernel heap: kmalloc, kzalloc, kfree.
//
// Small objects (up to 2 KiB) come from slabs: one 4 KiB page per slab, all
// objects of one power-of-two size class. Larger ones get whole blocks of
// pages. Everything is 16-byte aligned. Out of memory is NULL, never a
// panic; a double free or a pointer the heap never gave out is detected,
// reported and refused.
//
// The heap gets pages from a page source (the frame allocator in the
// kernel, malloc in the host tests), so this file builds on both.
#pragma once
#include <stddef.h>
#include <stdint.h>

#define HEAP_CLASSES   8  // 16, 32, ..., 2048 bytes
#define HEAP_MAX_SMALL 2048

enum {
    HEAP_ERR_FOREIGN = -1,      // not a pointer kmalloc returned
    HEAP_ERR_DOUBLE_FREE = -2,  // freed already
};

struct heap_page_source {
    void *(*alloc_pages)(int order);  // 2^order pages, page-aligned; NULL if none
    void (*free_pages)(void *pages, int order);
    // Whether a pointer lies in memory the pages come from, so that kfree
    // can read the page it falls in (may be NULL: then it just reads).
    int (*owns)(const void *pointer);
    // Reports a refused kfree (may be NULL): "heap: kfree(%p): <why>".
    void (*report)(const char *why, const void *pointer);
    // Optional (live_pages NULL: none): a bitmap with a bit for each of
    // the window_pages pages from window_start on, where the pages come
    // from. The heap keeps it up to date (a bit is set while its page
    // starts a slab or a large block), so kfree knows its own pages in
    // O(1) and calls owns() only for the others. Zeroed at first.
    uint64_t *live_pages;
    uintptr_t window_start;
    uint64_t window_pages;
};

struct heap_stats {
    uint64_t slabs[HEAP_CLASSES], objects[HEAP_CLASSES];  // per size class
    uint64_t large_blocks, large_pages;
    uint64_t refused_frees;
};

void heap_init(const struct heap_page_source *source);
void *kmalloc(size_t size);
void *kzalloc(size_t size);
int kfree(void *pointer);  // 0, or a HEAP_ERR_ (and a report)
void heap_get_stats(struct heap_stats *out);
// Give the empty slabs kept for reuse back to the page source.
void heap_trim(void);
size_t heap_class_size(int class_index);

// The kernel's heap (kheap.c): heap_init with frames as the page source.
void kheap_init(void);
