// paging_bench.c: what map, unmap and translate cost.
#include "bench.h"
#include "paging.h"

#define VA 0x40000000ul
#define PA 0x12345000ul

// The tables under VA are made by the first map and then stay (unmap
// leaves them), so this measures the steady state: walk and set, walk and
// clear, two invlpg.
BENCH(map_unmap_4k, "instructions") {
    pte_t *root = paging_active_root();
    map_region(root, VA, PA, PAGE_SIZE_4K, VM_WRITE);
    unmap_region(root, VA, PAGE_SIZE_4K);
    return BENCH_LOOP(1000, {
        map_region(root, VA, PA, PAGE_SIZE_4K, VM_WRITE);
        unmap_region(root, VA, PAGE_SIZE_4K);
    });
}

BENCH(translate, "instructions") {
    struct mapping m;
    pte_t *root = paging_active_root();
    uint64_t va = (uint64_t)&m;        // the stack: a 4 KiB kernel page
    return BENCH_LOOP(1000, translate(root, va, &m));
}
