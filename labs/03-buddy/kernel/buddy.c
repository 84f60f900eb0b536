// buddy.c: the buddy allocator (see buddy.h for the idea).
//
// Three structures, all in the caller's metadata:
//   records    one per block; a new one comes from the "bump" index or from
//              the stack of recycled ones, so nothing needs clearing at init;
//   free lists one doubly linked list per order, threaded through records;
//   the index  a hash table from a block's address to its record, so that
//              free() finds the block and its buddy in O(1).
// The index's buckets are never cleared either: a bucket is believed only
// when the record it names is alive, hashes to that bucket and says it is
// the first of the bucket's chain. Garbage fails one of those tests.
//
// Every operation is O(max order): a split or a merge per order at most.
#include "buddy.h"

enum { RECORD_DEAD = 0, RECORD_FREE = 1, RECORD_USED = 2 };

// The helpers of the common paths (an alloc or free without a split or a
// merge) are always inlined and the rare paths never are, so the common
// paths need no calls and few saved registers: that halves an order-0
// alloc+free pair (buddy_order0_pair in make bench).
#define INLINE   inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))

const char *buddy_error_string(int err) {
    switch (err) {
    case 0: return "ok";
    case BUDDY_ERR_NO_MEMORY: return "out of memory: no free block that large";
    case BUDDY_ERR_NO_RECORDS: return "out of allocator metadata (too many blocks)";
    case BUDDY_ERR_ORDER: return "order out of range";
    case BUDDY_ERR_ALIGN: return "address not aligned to the block size";
    case BUDDY_ERR_NOT_ALLOCATED: return "nothing was allocated at this address";
    case BUDDY_ERR_DOUBLE_FREE: return "double free: the block is already free";
    case BUDDY_ERR_WRONG_ORDER: return "freed with another order than it was allocated with";
    case BUDDY_ERR_OVERLAP: return "range overlaps addresses the allocator already manages";
    default: return "unknown error";
    }
}

// --- Metadata: records and the hash index. -------------------------------

// log2 of the smallest power of two >= n, at least 1.
static int bits_for(uint64_t n) { return n <= 2 ? 1 : 64 - __builtin_clzll(n - 1); }

size_t buddy_metadata_size(uint32_t max_blocks) {
    return (size_t)max_blocks * sizeof(struct buddy_record) + ((size_t)4 << bits_for(max_blocks));
}

void buddy_init(struct buddy *b, const char *name, int unit_shift, int max_order, void *metadata,
                size_t metadata_size) {
    *b = (struct buddy){.name = name, .unit_shift = unit_shift, .max_order = max_order};
    for (int k = 0; k <= BUDDY_MAX_ORDER; k++)
        b->free_head[k] = BUDDY_NONE;
    // The most records that fit beside their buckets: for each power of
    // two of buckets, as many records as fit in the rest, but no more than
    // buckets (so chains stay short). The best of these is the capacity.
    uint32_t capacity = 0;
    for (int bits = 1; bits < 32 && ((size_t)4 << bits) <= metadata_size; bits++) {
        uint64_t fit = (metadata_size - ((size_t)4 << bits)) / sizeof(struct buddy_record);
        if (fit > (1ull << bits))
            fit = 1ull << bits;
        if (fit > capacity)
            capacity = fit;
    }
    b->records = metadata;
    b->capacity = capacity;
    b->buckets = (uint32_t *)(b->records + capacity);
    b->hash_shift = 64 - bits_for(capacity);
    b->recycled = BUDDY_NONE;
}

static INLINE uint64_t block_size(const struct buddy *b, int order) {
    return 1ull << (order + b->unit_shift);
}

static INLINE uint32_t hash_of(const struct buddy *b, uint64_t addr) {
    // Fibonacci hashing: the top bits of the product depend on every bit
    // of the address, so aligned addresses (low bits zero) spread well.
    return (addr * 0x9E3779B97F4A7C15ull) >> b->hash_shift;
}

static INLINE uint32_t chain_first(const struct buddy *b, uint32_t h) {
    uint32_t i = b->buckets[h];
    if (i < b->bump && b->records[i].chain_head && hash_of(b, b->records[i].addr) == h)
        return i;
    return BUDDY_NONE;
}

static INLINE uint32_t lookup(const struct buddy *b, uint64_t addr) {
    uint32_t i = chain_first(b, hash_of(b, addr));
    while (i != BUDDY_NONE && b->records[i].addr != addr)
        i = b->records[i].hash_next;
    return i;
}

static void index_insert(struct buddy *b, uint32_t i) {
    uint32_t h = hash_of(b, b->records[i].addr), first = chain_first(b, h);
    if (first != BUDDY_NONE)
        b->records[first].chain_head = 0;
    b->records[i].hash_next = first;
    b->records[i].chain_head = 1;
    b->buckets[h] = i;
}

static void index_remove(struct buddy *b, uint32_t i) {
    // LAB 3: BEGIN SOLUTION
    uint32_t h = hash_of(b, b->records[i].addr), p = chain_first(b, h);
    uint32_t next = b->records[i].hash_next;
    if (p == i) {
        b->buckets[h] = next;
        if (next != BUDDY_NONE)
            b->records[next].chain_head = 1;
    } else {
        while (b->records[p].hash_next != i)
            p = b->records[p].hash_next;
        b->records[p].hash_next = next;
    }
    b->records[i].chain_head = 0;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)b, (void)i;   /* lab 3: index_remove not written yet */
}

static uint32_t new_record(struct buddy *b, uint64_t addr, int order, int state) {
    uint32_t i = b->recycled;
    if (i != BUDDY_NONE)
        b->recycled = b->records[i].next;
    else
        i = b->bump++;  // callers checked there is room
    b->records_in_use++;
    b->records[i] = (struct buddy_record){.addr = addr, .order = order, .state = state};
    index_insert(b, i);
    return i;
}

static void release_record(struct buddy *b, uint32_t i) {
    // LAB 3: BEGIN SOLUTION
    index_remove(b, i);
    b->records[i].state = RECORD_DEAD;
    b->records[i].next = b->recycled;
    b->recycled = i;
    b->records_in_use--;
    // LAB 3: END SOLUTION
    // LAB 3: STUB /* lab 3: release_record not written yet */
    // LAB 3: STUB (void)b, (void)i, (void)index_remove;
}

// --- Free lists. ------------------------------------------------------------

static INLINE void list_push(struct buddy *b, uint32_t i) {
    int k = b->records[i].order;
    b->records[i].prev = BUDDY_NONE;
    b->records[i].next = b->free_head[k];
    if (b->free_head[k] != BUDDY_NONE)
        b->records[b->free_head[k]].prev = i;
    b->free_head[k] = i;
    b->free_blocks[k]++;
    b->free_units += 1ull << k;
}

static INLINE void list_remove(struct buddy *b, uint32_t i) {
    struct buddy_record *r = &b->records[i];
    if (r->prev != BUDDY_NONE)
        b->records[r->prev].next = r->next;
    else
        b->free_head[r->order] = r->next;
    if (r->next != BUDDY_NONE)
        b->records[r->next].prev = r->prev;
    b->free_blocks[r->order]--;
    b->free_units -= 1ull << r->order;
}

// --- Allocation. ------------------------------------------------------------

// Make block i free, merging it with its buddy for as long as the buddy is
// a free block of the same order. Of two merging records the one at the
// lower address survives (its address is the merged block's), so no record
// ever changes address and the index needs no update for it.
static INLINE void free_and_merge(struct buddy *b, uint32_t i) {
    // LAB 3: BEGIN SOLUTION
    uint64_t addr = b->records[i].addr;
    int order = b->records[i].order;
    while (order < b->max_order) {
        uint32_t j = lookup(b, addr ^ block_size(b, order));
        if (j == BUDDY_NONE || b->records[j].state != RECORD_FREE || b->records[j].order != order)
            break;
        list_remove(b, j);
        if (b->records[j].addr < addr) {  // the buddy is the lower half
            release_record(b, i);
            i = j;
            addr = b->records[j].addr;
        } else {
            release_record(b, j);
        }
        order++;
    }
    b->records[i].order = order;
    b->records[i].state = RECORD_FREE;
    list_push(b, i);
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)release_record;   /* lab 3: no merging yet: freed blocks stay split */
    // LAB 3: STUB b->records[i].state = RECORD_FREE;
    // LAB 3: STUB list_push(b, i);
}

static uint32_t records_left(const struct buddy *b) { return b->capacity - b->records_in_use; }

// No free block of this order: take the smallest larger one and split it
// down, keeping the lower half and putting each upper half on its free list.
static NOINLINE int split_alloc(struct buddy *b, int order, uint64_t *addr) {
    // LAB 3: BEGIN SOLUTION
    int k = order + 1;
    while (k <= b->max_order && b->free_head[k] == BUDDY_NONE)
        k++;
    if (k > b->max_order)
        return BUDDY_ERR_NO_MEMORY;
    if (records_left(b) < (uint32_t)(k - order))
        return BUDDY_ERR_NO_RECORDS;  // each split needs a record
    uint32_t i = b->free_head[k];
    list_remove(b, i);
    uint64_t start = b->records[i].addr;
    while (k > order) {  // split: keep the lower half,
        k--;             // free the upper half
        list_push(b, new_record(b, start + block_size(b, k), k, RECORD_FREE));
    }
    b->records[i].order = order;
    b->records[i].state = RECORD_USED;
    b->used_units += 1ull << order;
    *addr = start;
    return 0;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)b, (void)order, (void)addr, (void)records_left;
    // LAB 3: STUB /* lab 3: split_alloc not written yet: no split */
    // LAB 3: STUB return BUDDY_ERR_NO_MEMORY;
}

int buddy_alloc(struct buddy *b, int order, uint64_t *addr) {
    // LAB 3: BEGIN SOLUTION
    if (order < 0 || order > b->max_order)
        return BUDDY_ERR_ORDER;
    uint32_t i = b->free_head[order];
    if (i == BUDDY_NONE)
        return split_alloc(b, order, addr);
    list_remove(b, i);  // the common case: no split
    b->records[i].state = RECORD_USED;
    b->used_units += 1ull << order;
    *addr = b->records[i].addr;
    return 0;
    // LAB 3: END SOLUTION
    // LAB 3: STUB /* lab 3: buddy_alloc not written yet: single units only, no split */
    // LAB 3: STUB uint32_t i = order == 0 ? b->free_head[0] : BUDDY_NONE;
    // LAB 3: STUB if (i == BUDDY_NONE)
    // LAB 3: STUB     return split_alloc(b, order, addr);
    // LAB 3: STUB list_remove(b, i);
    // LAB 3: STUB b->records[i].state = RECORD_USED;
    // LAB 3: STUB b->used_units++;
    // LAB 3: STUB *addr = b->records[i].addr;
    // LAB 3: STUB return 0;
}

// Is addr inside a free block? (To tell a double free from a foreign address.)
static NOINLINE bool inside_free_block(const struct buddy *b, uint64_t addr) {
    // LAB 3: BEGIN SOLUTION
    for (int k = 0; k <= b->max_order; k++) {
        uint32_t j = lookup(b, addr & ~(block_size(b, k) - 1));
        if (j != BUDDY_NONE && b->records[j].state == RECORD_FREE &&
            addr < b->records[j].addr + block_size(b, b->records[j].order))
            return true;
    }
    return false;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)b, (void)addr;
    // LAB 3: STUB return false;   /* lab 3: inside_free_block not written yet */
}

// Check everything about the block first: a bad free changes nothing.
int buddy_free(struct buddy *b, uint64_t addr, int order) {
    // LAB 3: BEGIN SOLUTION
    if (order < 0 || order > b->max_order)
        return BUDDY_ERR_ORDER;
    if (addr & (block_size(b, order) - 1))
        return BUDDY_ERR_ALIGN;
    uint32_t i = lookup(b, addr);
    if (i == BUDDY_NONE)
        return inside_free_block(b, addr) ? BUDDY_ERR_DOUBLE_FREE : BUDDY_ERR_NOT_ALLOCATED;
    if (b->records[i].state == RECORD_FREE)
        return BUDDY_ERR_DOUBLE_FREE;
    if (b->records[i].order != order)
        return BUDDY_ERR_WRONG_ORDER;
    b->used_units -= 1ull << order;
    free_and_merge(b, i);
    return 0;
    // LAB 3: END SOLUTION
    // LAB 3: STUB /* lab 3: buddy_free not written yet: single units only, few checks */
    // LAB 3: STUB (void)inside_free_block;
    // LAB 3: STUB uint32_t i = lookup(b, addr);
    // LAB 3: STUB if (order != 0 || i == BUDDY_NONE || b->records[i].state != RECORD_USED)
    // LAB 3: STUB     return BUDDY_ERR_NOT_ALLOCATED;
    // LAB 3: STUB b->used_units--;
    // LAB 3: STUB free_and_merge(b, i);
    // LAB 3: STUB return 0;
}

int buddy_allocated_order(const struct buddy *b, uint64_t addr) {
    // LAB 3: BEGIN SOLUTION
    uint32_t i = lookup(b, addr);
    if (i == BUDDY_NONE || b->records[i].state != RECORD_USED)
        return BUDDY_ERR_NOT_ALLOCATED;
    return b->records[i].order;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)b, (void)addr;
    // LAB 3: STUB /* lab 3: buddy_allocated_order not written yet */
    // LAB 3: STUB return BUDDY_ERR_NOT_ALLOCATED;
}

// The largest order k for a block at `start` that fits before `end`.
static int largest_fit(const struct buddy *b, uint64_t start, uint64_t end) {
    // LAB 3: BEGIN SOLUTION
    int k = b->max_order;
    while (k > 0 && ((start & (block_size(b, k) - 1)) || end - start < block_size(b, k)))
        k--;
    return k;
    // LAB 3: END SOLUTION
    // LAB 3: STUB (void)b, (void)start, (void)end;
    // LAB 3: STUB return 0;   /* lab 3: largest_fit not written yet */
}

int buddy_add_range(struct buddy *b, uint64_t start, uint64_t end) {
    uint64_t unit = block_size(b, 0);
    start = (start + unit - 1) & ~(unit - 1);
    end &= ~(unit - 1);
    // LAB 3: BEGIN SOLUTION
    while (start < end) {
        if (lookup(b, start) != BUDDY_NONE)  // a block starts here already
            return BUDDY_ERR_OVERLAP;
        if (records_left(b) == 0)
            return BUDDY_ERR_NO_RECORDS;
        int k = largest_fit(b, start, end);
        free_and_merge(b, new_record(b, start, k, RECORD_FREE));
        start += block_size(b, k);
    }
    return 0;
    // LAB 3: END SOLUTION
    // LAB 3: STUB /* lab 3: buddy_add_range not written yet: one unit at a time */
    // LAB 3: STUB (void)largest_fit;
    // LAB 3: STUB for (; start < end && records_left(b) > 0; start += unit)
    // LAB 3: STUB     free_and_merge(b, new_record(b, start, 0, RECORD_FREE));
    // LAB 3: STUB return 0;
}

// --- Consistency. -----------------------------------------------------------

static int fail(const char **why, const char *message) {
    *why = message;
    return -1;
}

static int check_free_list(const struct buddy *b, int k, uint64_t *units, const char **why) {
    uint64_t count = 0;
    uint32_t prev = BUDDY_NONE;
    for (uint32_t i = b->free_head[k]; i != BUDDY_NONE; prev = i, i = b->records[i].next) {
        const struct buddy_record *r = &b->records[i];
        if (i >= b->bump || count++ > b->capacity)
            return fail(why, "a free list points outside the records or loops");
        if (r->state != RECORD_FREE || r->order != k || r->prev != prev)
            return fail(why, "a free list holds a record that is not a free block of its order");
        if (r->addr & (block_size(b, k) - 1))
            return fail(why, "a free block is not aligned to its size");
        if (lookup(b, r->addr) != i)
            return fail(why, "a free block is missing from the index");
        uint32_t j = lookup(b, r->addr ^ block_size(b, k));
        if (k < b->max_order && j != BUDDY_NONE && b->records[j].state == RECORD_FREE &&
            b->records[j].order == k)
            return fail(why, "two free buddies were not merged");
    }
    if (count != b->free_blocks[k])
        return fail(why, "a free list's length disagrees with its count");
    *units += count << k;
    return 0;
}

int buddy_check(const struct buddy *b, const char **why) {
    uint64_t free_units = 0, used_units = 0;
    for (int k = 0; k <= b->max_order; k++)
        if (check_free_list(b, k, &free_units, why) < 0)
            return -1;
    if (free_units != b->free_units)
        return fail(why, "the free units disagree with the free lists");
    uint32_t alive = 0;
    for (uint32_t i = 0; i < b->bump; i++) {
        if (b->records[i].state == RECORD_DEAD)
            continue;
        alive++;
        if (b->records[i].state == RECORD_USED)
            used_units += 1ull << b->records[i].order;
        if (lookup(b, b->records[i].addr) != i)
            return fail(why, "a block is missing from the index");
    }
    if (alive != b->records_in_use || used_units != b->used_units)
        return fail(why, "the record or used-unit counts disagree with the records");
    return 0;
}
