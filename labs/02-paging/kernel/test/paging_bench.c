// paging_bench.c: what map, unmap and translate cost.
#include "bench.h"
#include "kprintf.h"
#include "paging.h"

#define VA 0x40000000ul
#define PA 0x12345000ul

// The tables under VA are made by the first map and then stay (unmap
// leaves them), so this measures the steady state: walk and set, walk and
// clear, two invlpg.
BENCH(map_unmap_4k, "instructions") {
    pte_t *root = paging_active_root();
    map_region(root, VA, PA, PAGE_SIZE, VM_WRITE);
    unmap_region(root, VA, PAGE_SIZE);
    return BENCH_LOOP(1000, {
        map_region(root, VA, PA, PAGE_SIZE, VM_WRITE);
        unmap_region(root, VA, PAGE_SIZE);
    });
}

BENCH(translate, "instructions") {
    struct mapping m;
    pte_t *root = paging_active_root();
    uint64_t va = (uint64_t)&m;  // the stack: a 4 KiB kernel page
    return BENCH_LOOP(1000, translate(root, va, &m));
}

// Mapping long regions: the cost per page once the tables exist (as for
// the direct map at boot), 2 MiB and 4 KiB pages.
static uint64_t long_region(uint64_t page, uint64_t pages) {
    pte_t *root = paging_new_root();
    // 4 KiB pages start one page past a 2 MiB boundary, so that none of
    // them can become part of a 2 MiB page.
    uint64_t skew = page == PAGE_SIZE ? PAGE_SIZE : 0;
    uint64_t start = rdtsc();
    int err = map_region(root, (1ul << 39) + skew, skew, page * pages, VM_WRITE);
    uint64_t cost = (rdtsc() - start) / pages;
    if (err)
        kprintf("bench: map_region failed: %s\n", vm_error_string(err));
    paging_free_root(root);
    return cost;
}

BENCH(map_2m_pages_per_page, "instructions") { return long_region(PAGE_SIZE_2M, 512); }
BENCH(map_4k_pages_per_page, "instructions") { return long_region(PAGE_SIZE, 512); }
