// vregion.h: regions of the single address space, from a buddy allocator.
//
// Every region any program will ever get comes from here, so no two
// regions overlap, in any address space: each has one address everywhere.
// Regions are buddy-aligned (a region of 2^k pages starts at a multiple of
// 2^k pages), which later labs use to move whole page-table subtrees.
#pragma once
#include <stdint.h>
#include "memlayout.h"

#define VREGION_START (4ul << 20)  // the first 4 MiB stay unmapped
#define VREGION_END   USER_TOP     // the top of the lower half

void vregion_init(void);
// A region of at least len bytes (rounded up to a power of two of pages):
// 0 and *va, or a BUDDY_ERR_ (BUDDY_ERR_ORDER for a length of 0 or too big).
int vregion_alloc(uint64_t len, uint64_t *va);
int vregion_free(uint64_t va, uint64_t len);
// The size of the region vregion_alloc(len) gives: len rounded up to a
// power of two of pages; 0 when len is 0 or too big.
uint64_t vregion_size(uint64_t len);
uint64_t vregion_free_bytes(void);
// How many regions are allocated and not freed (the run= line reports it).
uint64_t vregion_count(void);
const struct buddy *vregion_buddy(void);
