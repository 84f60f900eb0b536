// buddy_bench.c: what the allocators cost, in guest instructions.
#include "bench.h"
#include "frame.h"
#include "heap.h"
#include "memlayout.h"

// An alloc+free pair at `order` in the steady state: blocks of that order
// are held until a free one has its buddy held, so the pair below neither
// splits nor merges (as in Linux's per-CPU page lists).
static uint64_t pair(int order) {
    uint64_t held[8], size = PAGE_SIZE << order;
    int n = 0;
    while (n < 8) {
        held[n++] = frame_alloc_order(order);
        uint64_t x = frame_alloc_order(order);
        bool buddy_held = buddy_allocated_order(frame_buddy(), x ^ size) == order;
        frame_free_order(x, order);
        if (buddy_held)
            break;
    }
    uint64_t instructions = BENCH_LOOP(1000, {
        uint64_t pa = frame_alloc_order(order);
        frame_free_order(pa, order);
    });
    while (n > 0)
        frame_free_order(held[--n], order);
    return instructions;
}

BENCH(buddy_order0_pair, "instructions") { return pair(0); }
BENCH(buddy_order9_pair, "instructions") { return pair(9); }

// The worst case: a split all the way down from a large block and a merge
// all the way back up, on every pair.
BENCH(buddy_order0_pair_split_merge, "instructions") {
    return BENCH_LOOP(1000, {
        uint64_t pa = frame_alloc_order(0);
        frame_free_order(pa, 0);
    });
}

BENCH(kmalloc_kfree_64, "instructions") {
    void *held = kmalloc(64);  // keeps the slab from emptying
    uint64_t n = BENCH_LOOP(1000, kfree(kmalloc(64)));
    kfree(held);
    return n;
}
