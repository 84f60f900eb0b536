// frame.h: allocating physical memory, one 4 KiB frame at a time.
//
// Lab 02's allocator is simple; lab 03 puts the buddy allocator behind
// this same interface, so nothing that uses it has to change.
#pragma once
#include <stdint.h>

void frame_init(void);

// The physical address of a free 4 KiB frame (contents undefined), or 0
// when memory is exhausted: 0 is never a usable frame (the first MiB is
// reserved), and running out is an error the caller handles, not a panic.
uint64_t frame_alloc(void);
void frame_free(uint64_t pa);
uint64_t frame_free_count(void);  // frames frame_alloc can still give
