// hoard.h: a set of taken frames, kept without touching the frames, so a
// test can run the frame allocator dry and give everything back.
//
// The set is a bitmap, one bit a frame of physical memory, in a few frames
// taken before the others (8 at 1 GiB, 40 at 4 GiB). The frames in it are
// never written. That matters under QEMU: a word written into every frame,
// or into one frame in 512, makes the host back all of the guest's memory,
// in 2 MiB pages it must clear (and may first have to find), which costs
// more than the allocator's own work. A frame added twice, or one beyond
// all available memory, is refused: the allocator handed it out twice, or
// made it up.
#ifndef BATON_HOARD_H
#define BATON_HOARD_H

#include "frame.h"
#include "memlayout.h"
#include "multiboot2.h"
#include "string.h"

#define HOARD_FRAMES_PER_PAGE (PAGE_SIZE * 8)  // 128 MiB of memory per bitmap page
#define HOARD_MAX_PAGES       64               // physical addresses up to 8 GiB

struct hoard {
    uint64_t page[HOARD_MAX_PAGES];  // the bitmap's frames (physical addresses)
    uint64_t npages;
    uint64_t limit;  // frames 0 .. limit - 1 have a bit
};

static inline uint64_t *hoard_word_(struct hoard *h, uint64_t frame) {
    uint64_t *bits = phys_to_virt(h->page[frame / HOARD_FRAMES_PER_PAGE]);
    return &bits[frame % HOARD_FRAMES_PER_PAGE / 64];
}

// Hold pa, a frame frame_alloc returned. false if it is held already, or
// is not a frame of available memory.
static inline bool hoard_add(struct hoard *h, uint64_t pa) {
    uint64_t frame = pa / PAGE_SIZE, bit = 1ull << (frame % 64);
    if (pa % PAGE_SIZE || frame >= h->limit || (*hoard_word_(h, frame) & bit))
        return false;
    *hoard_word_(h, frame) |= bit;
    return true;
}

// Take and clear the bitmap's frames: enough for every frame below the end
// of the highest available region. false when they cannot be had.
static inline bool hoard_init(struct hoard *h) {
    uint64_t top = 0;
    for (int i = 0; i < bootinfo.nregions; i++) {
        const struct mem_region *r = &bootinfo.regions[i];
        if (r->type == MEM_AVAILABLE && r->base + r->length > top)
            top = r->base + r->length;
    }
    h->limit = top / PAGE_SIZE;
    h->npages = (h->limit + HOARD_FRAMES_PER_PAGE - 1) / HOARD_FRAMES_PER_PAGE;
    if (h->npages > HOARD_MAX_PAGES)
        return false;
    for (uint64_t i = 0; i < h->npages; i++) {
        h->page[i] = frame_alloc();
        if (h->page[i] == 0) {
            while (i > 0)
                frame_free(h->page[--i]);
            return false;
        }
        memset(phys_to_virt(h->page[i]), 0, PAGE_SIZE);
    }
    // The bitmap's own frames are held too, so that one handed out again
    // is refused.
    for (uint64_t i = 0; i < h->npages; i++)
        if (!hoard_add(h, h->page[i]))
            return false;
    return true;
}

// Give every frame back with frame_free, in address order, then the
// bitmap's own frames (a freed frame may be written: lab 02's free list).
static inline void hoard_free_all(struct hoard *h) {
    for (uint64_t i = 0; i < h->npages; i++)
        *hoard_word_(h, h->page[i] / PAGE_SIZE) &= ~(1ull << (h->page[i] / PAGE_SIZE % 64));
    for (uint64_t frame = 0; frame < h->limit; frame += 64) {
        uint64_t bits = *hoard_word_(h, frame);
        for (; bits; bits &= bits - 1)
            frame_free((frame + (uint64_t)__builtin_ctzll(bits)) * PAGE_SIZE);
    }
    for (uint64_t i = 0; i < h->npages; i++)
        frame_free(h->page[i]);
    h->npages = h->limit = 0;
}

#endif
