// hoard.h: keep a list of taken frames without touching the frames, so a
// test can run the frame allocator dry and give everything back.
//
// The list lives in frames taken along the way: the first frame added, and
// then one of every HOARD_SLOTS + 1 after it, becomes a page of the list
// and holds the address of the page before it and the addresses of the
// next HOARD_SLOTS frames. The other frames are never written. (Writing a
// word into every frame would do as well for the kernel, but at 1 GiB
// the host would have to back all of the guest's memory for it, which
// costs more than the allocator's own work.)
#ifndef BATON_HOARD_H
#define BATON_HOARD_H

#include "frame.h"
#include "memlayout.h"

#define HOARD_SLOTS (PAGE_SIZE / sizeof(uint64_t) - 1)

struct hoard {
    uint64_t page;   // physical address of the newest page of the list, 0 if none
    uint64_t used;   // slots used in that page
    uint64_t count;  // frames held, the pages included
};

// Hold one more frame, pa (taken from frame_alloc).
static inline void hoard_add(struct hoard *h, uint64_t pa) {
    if (h->page == 0 || h->used == HOARD_SLOTS) {
        *(uint64_t *)phys_to_virt(pa) = h->page;  // pa becomes the newest page
        h->page = pa;
        h->used = 0;
    } else {
        ((uint64_t *)phys_to_virt(h->page))[1 + h->used++] = pa;
    }
    h->count++;
}

// Give every frame back with frame_free: each page's frames, then the page.
static inline void hoard_free_all(struct hoard *h) {
    while (h->page) {
        uint64_t *slots = phys_to_virt(h->page), before = slots[0];
        for (uint64_t i = 0; i < h->used; i++)
            frame_free(slots[1 + i]);
        frame_free(h->page);
        h->page = before;
        h->used = HOARD_SLOTS;  // every older page is full
    }
    h->count = 0;
}

#endif
