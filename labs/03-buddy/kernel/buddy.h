// buddy.h: one buddy allocator, used twice (physical frames, virtual regions).
//
// An allocator manages addresses in units (4 KiB pages) grouped in blocks
// of 2^order units, each aligned to its own size. A block is allocated
// whole; splitting one of order k gives two "buddies" of order k-1, and two
// free buddies always merge back. The allocator never touches the memory it
// manages: it keeps a record for every block (free or allocated) in
// metadata the caller provides, so it can as well hand out addresses that
// have no memory behind them (the virtual address space).
//
// This file builds in the kernel and, unchanged, on the host for tests.
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUDDY_MAX_ORDER 40
#define BUDDY_NONE      0xFFFFFFFFu  // "no record"

enum {
    BUDDY_ERR_NO_MEMORY = -1,      // no free block big enough
    BUDDY_ERR_NO_RECORDS = -2,     // metadata full: no room for a split
    BUDDY_ERR_ORDER = -3,          // order out of range
    BUDDY_ERR_ALIGN = -4,          // address not aligned to the block size
    BUDDY_ERR_NOT_ALLOCATED = -5,  // nothing was allocated there
    BUDDY_ERR_DOUBLE_FREE = -6,    // the block is free already
    BUDDY_ERR_WRONG_ORDER = -7,    // allocated with another order
    BUDDY_ERR_OVERLAP = -8,        // add_range starting inside managed addresses
};
const char *buddy_error_string(int err);

// One block. Free blocks are on their order's free list (prev, next);
// every block is in the hash index by address (hash_next).
struct buddy_record {
    uint64_t addr;
    uint32_t prev, next, hash_next;
    uint8_t order;
    uint8_t state;       // RECORD_FREE or RECORD_USED
    uint8_t chain_head;  // first of its hash chain
};

struct buddy {
    const char *name;
    int unit_shift;  // log2 of the unit: 12 for 4 KiB
    int max_order;
    uint32_t free_head[BUDDY_MAX_ORDER + 1];
    uint64_t free_blocks[BUDDY_MAX_ORDER + 1];  // statistics: per order
    uint64_t free_units, used_units;
    // The metadata: records (capacity of them) and the hash index.
    struct buddy_record *records;
    uint32_t capacity, bump, recycled, records_in_use;
    uint32_t *buckets;
    int hash_shift;  // 64 - log2(number of buckets)
};

// Bytes of metadata for at most `max_blocks` blocks alive at once. Frames
// need one record per unit in the worst case (every page allocated alone).
size_t buddy_metadata_size(uint32_t max_blocks);

// Set up an empty allocator. The metadata needs no clearing: that keeps
// boot work independent of the amount of memory.
void buddy_init(struct buddy *b, const char *name, int unit_shift, int max_order, void *metadata,
                size_t metadata_size);

// Hand [start, end) to the allocator: rounded inward to whole units and
// split into the largest aligned blocks. 0 or an error. Ranges must not
// overlap what the allocator manages already; a new block that starts
// where a managed block starts is caught (BUDDY_ERR_OVERLAP, with the
// blocks before it added), other overlaps are the caller's bug. (A full
// check would cost a lookup per order for every block added.)
int buddy_add_range(struct buddy *b, uint64_t start, uint64_t end);

// Allocate a block of 2^order units: 0 and *addr, or an error.
int buddy_alloc(struct buddy *b, int order, uint64_t *addr);

// Free a block with the order it was allocated with, merging it with its
// buddy for as long as that one is free. Detects double frees, wrong
// orders and addresses that were never allocated; never needs memory.
int buddy_free(struct buddy *b, uint64_t addr, int order);

// The order of the allocated block at addr, or an error.
int buddy_allocated_order(const struct buddy *b, uint64_t addr);

// Walk everything and check it agrees: lists, index, counts, no two free
// buddies left unmerged. 0, or -1 with *why set.
int buddy_check(const struct buddy *b, const char **why);
