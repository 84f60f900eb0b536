// frame.h: allocating physical memory, from the buddy allocator (lab 03).
//
// The interface of lab 02 stays (frame_alloc, frame_free, frame_free_count)
// so nothing that uses it changes; blocks of 2^order frames are new.
#pragma once
#include <stdint.h>
#include "buddy.h"

#define FRAME_MAX_ORDER 30  // blocks up to 4 TiB

void frame_init(void);
void frame_add_high_memory(void);  // after kvm_init has mapped it

// The physical address of a free 4 KiB frame (contents undefined), or 0
// when memory is exhausted: 0 is never a usable frame (the first MiB is
// reserved), and running out is an error the caller handles, not a panic.
uint64_t frame_alloc(void);
void frame_free(uint64_t pa);     // panics on a frame never allocated
uint64_t frame_free_count(void);  // frames frame_alloc can still give

// 2^order contiguous frames, aligned to their size; 0 when none.
uint64_t frame_alloc_order(int order);
// 0, or a BUDDY_ERR_ (double free, wrong order, never allocated).
int frame_free_order(uint64_t pa, int order);

const struct buddy *frame_buddy(void);  // for statistics and tests
uint64_t frame_metadata_bytes(void);    // memory the allocator keeps for itself
