// counts.h: what the kernel holds, counted for leak checks.
#pragma once
#include <stdint.h>

struct live_counts {
    uint64_t free_frames;  // frames free in the buddy allocator
    uint64_t regions;      // regions of the address space in use
    uint64_t caps;         // capabilities alive (lab 05 on; 0 before)
    uint64_t conts;        // continuation records allocated (lab 06 on)
    uint64_t channels;     // channels alive (final/; none before)
};

// Give back the spares the allocators keep to be fast (capability and
// continuation records, the heap's empty pages: not leaks), then count.
void live_counts(struct live_counts *out);
