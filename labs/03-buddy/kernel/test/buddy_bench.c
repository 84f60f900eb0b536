// buddy_bench.c: what the allocators cost, in guest instructions.
#include "bench.h"
#include "frame.h"
#include "heap.h"

// An alloc+free pair at `order` in the steady state: one block of that
// order is held, so its buddy stays free at the same order and the pair
// neither splits nor merges (as in Linux's per-CPU page lists).
static uint64_t pair(int order) {
    uint64_t held = frame_alloc_order(order);
    uint64_t n = BENCH_LOOP(1000, {
        uint64_t pa = frame_alloc_order(order);
        frame_free_order(pa, order);
    });
    frame_free_order(held, order);
    return n;
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
    void *held = kmalloc(64);                  // keeps the slab from emptying
    uint64_t n = BENCH_LOOP(1000, kfree(kmalloc(64)));
    kfree(held);
    return n;
}
